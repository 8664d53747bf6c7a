"""The component package's plugin: hosts UserFiles, Identity and FileBucket for any Pulumi language.

The CLI starts it as ``<virtualenv>/bin/python <this folder> <engine address> [flags]`` with the
*consumer's* working directory, so nothing here may rely on the cwd: the repo root (where ``components``
lives) is put on ``sys.path`` from this file's own location. It prints only the port, then serves the
ResourceProvider protocol (GetSchema, Construct, ...). See components/package.py.
"""

import sys
from pathlib import Path

# The repo root, where `components` lives, from this file's own location: the cwd is the consumer's.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from components.package import serve

if __name__ == "__main__":
    serve(sys.argv[1:])
