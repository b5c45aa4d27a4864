import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console is served by the Amend server from dist/web; `npm run dev:web` proxies the API to it.
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  plugins: [react()],
  build: {
    outDir: new URL('../dist/web', import.meta.url).pathname,
    emptyOutDir: true,
    // No public source maps (issue 17): the served console is the minified build only.
    sourcemap: false,
  },
  server: { proxy: { '/v1': 'http://localhost:3000' } },
});
