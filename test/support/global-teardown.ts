export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as { __stack?: { stop(): Promise<void> } }).__stack;
  await stack?.stop();
}
