#include "threadcrypto.h"

#include <openssl/crypto.h>

namespace Gatehouse {

void releaseThreadCryptoState()
{
    OPENSSL_thread_stop();
}

} // namespace Gatehouse
