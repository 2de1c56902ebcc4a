import type {UploadProgress} from 'upload-progress';
import {ScriptedServer as Base} from '../helpers/scripted-server.js';

/** The shared scripted server, whose records name each file after its id (`<id>.bin`). */
export class ScriptedServer extends Base {
  override send(id: string, progress: Partial<UploadProgress> = {}): void {
    super.send(id, {filename: `${id}.bin`, ...progress});
  }
}
