// Benchmarks of the core, measured side by side in one process (figures are ratios against
// a baseline run here and now, never absolute targets: these machines are shared and noisy).
//
// 1. Throughput: the manager over 100 streams x 500 events, against the bare limit
//    (eventsource-parser + JSON.parse reading the same bytes from the same kind of body).
// 2. Cost per event for one live upload beside 10,000 settled ones, against none.
