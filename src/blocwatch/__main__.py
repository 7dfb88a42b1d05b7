from blocwatch.cli import main

main(prog_name="blocwatch")
