// A simulation worker that fails as it loads, as one would without its modules: parallel-simulation.test.ts.
throw new Error('this worker fails to load');
