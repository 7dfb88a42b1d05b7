from blocwatch.cli import run

run()
