from bench.fetcher.run import main

main()
