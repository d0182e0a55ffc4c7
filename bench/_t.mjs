const { register } = await import('tsx/esm/api');
register();
const which = process.argv[2];
const t1 = performance.now();
await import(which);
const t2 = performance.now();
console.log(`${which} graph ${(t2 - t1).toFixed(0)} ms`);
