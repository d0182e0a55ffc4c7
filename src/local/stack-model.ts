// The stack as the models see it lives in scaling/, where the planner reads it too; the local cloud re-exports it.
export * from '../scaling/stack-model.ts';
