#pragma once

namespace Gatehouse {

// Frees what OpenSSL keeps for the calling thread: its two random generators (made by the first
// RAND_bytes, key generation or TLS handshake there) and its error queue. OpenSSL would free them
// in the thread's exit handlers, but Qt's threads are detached and QThread::wait() returns before
// those handlers run, so a process that ends right after joining its threads races them (and
// LeakSanitizer reports the generators as leaked). A thread that used OpenSSL calls this as the
// last thing it does; OpenSSL sets the state up again if the thread uses it later.
void releaseThreadCryptoState();

} // namespace Gatehouse
