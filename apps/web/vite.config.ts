// The web app: built into dist/web (served by the API at /); `npm run dev:web` proxies the API.
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const api = process.env.RUCHE_API ?? 'http://localhost:3000';

/**
 * react-intl and @formatjs/intl each carry their own (identical) copy of intl-messageformat and
 * the ICU parser, because an older parser sits at the top of node_modules for the formatjs CLI:
 * resolve @formatjs/intl's imports from react-intl's folder, so the entry holds one copy.
 */
function oneFormatjs(): Plugin {
  const shared =
    /^(intl-messageformat|@formatjs\/(icu-messageformat-parser|icu-skeleton-parser|fast-memoize))(\/|$)/;
  let reactIntl: string | undefined;
  return {
    name: 'ruche:one-formatjs',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer?.includes('/@formatjs/intl/') || !shared.test(source)) return null;
      reactIntl ??= (await this.resolve('react-intl', undefined, options))?.id;
      return reactIntl ? this.resolve(source, reactIntl, { ...options, skipSelf: true }) : null;
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  plugins: [
    oneFormatjs(),
    react(),
    tailwindcss(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: {
        name: 'Ruche',
        short_name: 'Ruche',
        description: "Your company's social network",
        theme_color: '#b45309',
        background_color: '#ffffff',
        display: 'standalone',
        start_url: '/',
        icons: [
          { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
        ],
      },
      injectManifest: { globPatterns: ['**/*.{js,css,html,svg,png}'] },
    }),
  ],
  server: {
    proxy: {
      '/graphql': { target: api, ws: true, changeOrigin: false },
      '/api': { target: api },
      '/auth': { target: api },
    },
  },
});
