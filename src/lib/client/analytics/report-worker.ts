/// <reference lib="webworker" />
// The analytics page's worker: the report's reads and computation off the page's main thread.
import { ReportServer, type ReportAnswer, type ReportRequest } from './report-server';

declare const self: DedicatedWorkerGlobalScope;

const server = new ReportServer((answer: ReportAnswer) => self.postMessage(answer));
self.onmessage = (event: MessageEvent<ReportRequest>) => server.handle(event.data);
