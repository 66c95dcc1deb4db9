/// <reference lib="webworker" />
// The dashboard's worker: every grant, payment and client read and counted off the main thread.
import { dashboardSpec, type DashboardRequest } from './dashboard';
import { LiveComputation, type ComputationRequest } from './live-computation';

declare const self: DedicatedWorkerGlobalScope;

const computation = new LiveComputation(dashboardSpec, (answer) => self.postMessage(answer));
self.onmessage = (event: MessageEvent<ComputationRequest<DashboardRequest>>) =>
	computation.handle(event.data);
