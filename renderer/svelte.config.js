// Read by the Vite plugin and by svelte-check: TypeScript in <script lang="ts"> needs no preprocessor in Svelte 5.
export default { compilerOptions: { runes: true } };
