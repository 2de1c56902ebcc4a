import {
  ConnectionBudget,
  UploadProgressManager,
  type UploadProgress,
  type UploadProgressManagerOptions,
} from '../../src/index.js';
import {ScriptedServer} from './scripted-server.js';

/**
 * A manager reading from a fresh {@link ScriptedServer}, isolated from every other test (its
 * own connection budget) and without jitter. `send` writes a record to an upload's stream.
 */
export function scriptedManager(options: UploadProgressManagerOptions = {}) {
  const server = new ScriptedServer();
  const manager = new UploadProgressManager({
    fetch: server.fetch,
    connectionBudget: new ConnectionBudget(),
    random: () => 0,
    ...options,
  });
  const send = (id: string, progress: Partial<UploadProgress> = {}) => server.send(id, progress);
  return {server, manager, bodies: server.bodies, requested: server.requested, send};
}
