from checker.command import main

main()
