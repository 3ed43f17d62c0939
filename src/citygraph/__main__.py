from citygraph.cli import main

main()
