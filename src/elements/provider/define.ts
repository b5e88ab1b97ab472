import { define } from '../../internal/define.js';
import { DmProvider } from './provider.js';

export { DmProvider };

define('dm-provider', DmProvider);

declare global {
  interface HTMLElementTagNameMap {
    'dm-provider': DmProvider;
  }
}
