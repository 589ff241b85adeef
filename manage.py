#!/usr/bin/env python
from csehub.cli import main

if __name__ == "__main__":
    main()
