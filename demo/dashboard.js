// Brand dashboard: network engagement for brand admins (the partner's own results for partner users),
// live as events arrive, and the journeys that work best across the network.
import { startPortal } from './shell.js';

startPortal({
  current: './dashboard.html',
  preferRole: 'brand_admin',
  onSignedIn(session) {
    const slot = document.getElementById('chart-slot');
    const chart =
      slot.querySelector('dm-engagement-chart') ??
      slot.appendChild(document.createElement('dm-engagement-chart'));
    // Elements are added once signed in, so their first request carries a token.
    const best = document.getElementById('best-slot');
    if (!best.querySelector('dm-journey-showroom')) {
      const showroom = best.appendChild(document.createElement('dm-journey-showroom'));
      showroom.setAttribute('sort', 'best_results');
      showroom.setAttribute('layout', 'list');
      showroom.setAttribute('page-size', '5');
    }
    chart.setAttribute('live', '');
    // `?send=ID` narrows the chart to one send (linked from a partner's sends).
    const send = new URLSearchParams(location.search).get('send');
    if (send) chart.setAttribute('send-id', send);
    else chart.removeAttribute('send-id');
    if (session.user.role === 'brand_admin' && !send) chart.setAttribute('scope', 'network');
    else chart.removeAttribute('scope');
  },
});
