// Builds the console into dist/ for the server to serve at /console/ (modules/console/routes.ts).
import { defineConfig, defaultClientConditions } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  base: '/console/',
  plugins: [react()],
  // Workspace packages (@tracemark/core, @tracemark/codes) are used from their TypeScript sources.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: true,
  },
  server: {
    // `npm run dev -w @tracemark/console` next to `npm start`: the API comes from the server.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
