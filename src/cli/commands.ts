import type { CommandEntry } from './command.ts';

/** Every `techmoda` command, in the order `--help` lists them. */
export const commands: readonly CommandEntry[] = [
  {
    name: 'local',
    summary: 'run the stack locally with API Gateway, Lambda and DynamoDB limits (npm start)',
    hostsLocalCloud: () => true,
    load: async () => (await import('./local-command.ts')).localCommand,
  },
  {
    name: 'load',
    summary: 'open-loop load with per-phase latency, throttles by cause and pass/fail checks',
    load: async () => (await import('./load-command.ts')).loadCommand,
  },
  {
    name: 'lab',
    summary: "replay the lab's spike on the local cloud: client view beside cloud view, and what to change (npm run lab)",
    hostsLocalCloud: () => true,
    load: async () => (await import('./lab-command.ts')).labCommand,
  },
  {
    name: 'plan',
    summary: 'predict a sale without traffic, price it, find the cheapest configuration that survives it, and verify it',
    hostsLocalCloud: (args) => args.includes('--verify'),
    load: async () => (await import('./plan-command.ts')).planCommand,
  },
  {
    name: 'profile',
    summary: "build a load profile from last sale's traffic: CloudWatch exports or API Gateway access logs",
    load: async () => (await import('./profile-command.ts')).profileCommand,
  },
  {
    name: 'token',
    summary: "print a back-office access token (products/write) from the local cloud's user pool",
    load: async () => (await import('./token-command.ts')).tokenCommand,
  },
  {
    name: 'review',
    summary: 'review a template (SAM or CDK output) for what breaks under a flash sale or at deploy time',
    load: async () => (await import('./review-command.ts')).reviewCommand,
  },
];
