from bench.website.run import main

main()
