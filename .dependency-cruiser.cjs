// Dependencies run one way: HTTP surfaces → engine → providers, vault, webhooks,
// merchants, db. The shared contract (src/contract) is a leaf that browser and server
// both import; browser code never imports the server.
const SURFACES = '^server/(api|page|callbacks|embed|demo|portal|http|cli)/';
const LOWER = '^server/(providers|vault|webhooks|merchants|db)/';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'a type-only import (e.g. of a lazily loaded module) makes no cycle at run time',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only', 'type-import'] } },
    },
    {
      name: 'providers-are-plug-ins',
      comment: 'an adapter speaks its provider protocol: it never reaches into webhooks, the vault or merchants',
      severity: 'error',
      from: { path: '^server/providers/' },
      to: { path: '^server/(webhooks|vault|merchants)/' },
    },
    {
      name: 'lower-layers-stay-below-the-engine',
      comment: 'providers, vault, webhooks, merchants and db never import the engine or an HTTP surface',
      severity: 'error',
      from: { path: LOWER },
      to: { path: [SURFACES, '^server/engine/', '^server/(app|main)\\.ts$'] },
    },
    {
      name: 'engine-below-the-surfaces',
      comment: 'the engine knows nothing of HTTP surfaces',
      severity: 'error',
      from: { path: '^server/engine/' },
      to: { path: [SURFACES, '^server/(app|main)\\.ts$'] },
    },
    {
      name: 'contract-is-a-leaf',
      comment: 'src/contract is shared by browser and server: it imports only itself and libraries',
      severity: 'error',
      from: { path: '^src/contract/' },
      to: { path: '^(server|src/(?!contract/))' },
    },
    {
      name: 'browser-code-never-imports-the-server',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^server/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|dist-embed|dist-server|tests/output)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
