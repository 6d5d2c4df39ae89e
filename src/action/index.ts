/** Entry point of the bundled action (action/dist/index.js). */
import { runAction } from './main.js';

await runAction();
