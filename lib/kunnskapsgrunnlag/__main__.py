import sys

from kunnskapsgrunnlag.cli import main

sys.exit(main())
