import type { ServerResponse } from 'node:http';
import type { ControlPlane } from '../local/control-plane/control-plane.ts';
import type { RecentAccess } from '../local/gateway/access-log.ts';
import type { SideRoute } from '../local/gateway/side-route.ts';
import type { StackModel } from '../scaling/stack-model.ts';
import { DashboardFrames } from './dashboard-frame.ts';
import { dashboardPage } from './dashboard-page.ts';

/** Serves the live dashboard beside the API: the page, its event stream, and a stream drop for reconnect tests. */
export class DashboardRoutes {
  private readonly frames: DashboardFrames;
  private readonly clients = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | undefined;

  constructor(controlPlane: ControlPlane, model: StackModel, recentAccess?: RecentAccess | undefined) {
    this.frames = new DashboardFrames(controlPlane, model, recentAccess);
  }

  /** The side route for the API gateway. */
  readonly route: SideRoute = async (request, response, url) => {
    if (url.pathname === '/_local/dashboard' && request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(await dashboardPage());
      return true;
    }
    if (url.pathname === '/_local/dashboard/stream' && request.method === 'GET') {
      // EventSource sends Last-Event-ID on reconnect: replay exactly the frames after it (no gap, no duplicate).
      const lastId = Number(request.headers['last-event-id'] ?? url.searchParams.get('since') ?? 0) || 0;
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      response.write('retry: 500\n\n');
      this.ensureTicking();
      for (const frame of this.frames.since(lastId)) response.write(`id: ${frame.id}\ndata: ${JSON.stringify(frame)}\n\n`);
      this.clients.add(response);
      request.on('close', () => this.clients.delete(response));
      return true;
    }
    if (url.pathname === '/_local/dashboard/drop' && request.method === 'POST') {
      for (const client of this.clients) client.end();
      this.clients.clear();
      response.writeHead(204).end();
      return true;
    }
    return false;
  };

  /** Ends every stream and stops building frames. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  /**
   * Frames are built from the first viewer on (with the history since start-up, from the metric store), then every
   * real second, and kept, so a reconnect can replay what it missed.
   */
  private ensureTicking(): void {
    if (this.timer) return;
    this.frames.next();
    this.timer = setInterval(() => {
      for (const frame of this.frames.next()) {
        const message = `id: ${frame.id}\ndata: ${JSON.stringify(frame)}\n\n`;
        for (const client of this.clients) client.write(message);
      }
    }, 250);
    this.timer.unref();
  }
}

/** The dashboard's routes for a local cloud (LocalCloudOptions.controlPlaneRoutes). */
export function dashboardRoutes(
  controlPlane: ControlPlane,
  model: StackModel,
  recentAccess?: RecentAccess | undefined,
): readonly SideRoute[] {
  return [new DashboardRoutes(controlPlane, model, recentAccess).route];
}
