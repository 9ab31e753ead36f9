// releaseThreadCryptoState: what OpenSSL allocated for a thread (its random generators, its error
// queue) is freed by the call, and ThreadMailbox::stopThread frees it before the thread reports
// finished, that is before QThread::wait() returns, not later in the thread's exit handlers (which a
// process ending right then races: LeakSanitizer saw those objects as leaked). OpenSSL's allocations
// are counted through CRYPTO_set_mem_functions, installed before anything else allocates.
#include "base/threadcrypto.h"
#include "base/threadmailbox.h"

#include <QTest>
#include <QThread>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include <atomic>
#include <cstdlib>
#include <cstdio>
#include <thread>

using namespace Gatehouse;

namespace {

std::atomic<long> g_liveAllocations{0};

void *countedMalloc(size_t size, const char *, int)
{
    void *p = std::malloc(size);
    if (p)
        ++g_liveAllocations;
    return p;
}

void countedFree(void *p, const char *, int)
{
    if (p) {
        --g_liveAllocations;
        std::free(p);
    }
}

void *countedRealloc(void *p, size_t size, const char *file, int line)
{
    if (!p)
        return countedMalloc(size, file, line);
    if (size == 0) {
        countedFree(p, file, line);
        return nullptr;
    }
    return std::realloc(p, size);
}

// What a worker's TLS handshake or a key generation leaves behind on its thread.
bool useOpenSslOnThisThread()
{
    unsigned char bytes[16];
    const bool random = RAND_bytes(bytes, sizeof bytes) == 1;   // the thread's two generators
    ERR_raise_data(ERR_LIB_USER, ERR_R_PASSED_INVALID_ARGUMENT, "%s", "a test error");   // its error queue
    ERR_clear_error();
    return random;
}

} // namespace

class tst_ThreadCrypto : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void releaseFreesWhatTheThreadAllocated();
    void stopThreadReleasesBeforeTheThreadFinishes();
};

void tst_ThreadCrypto::initTestCase()
{
    // OpenSSL's global state (the primary generator, error strings) is made here, once, so that
    // what the tests count is the other threads' state alone.
    QVERIFY(useOpenSslOnThisThread());
}

void tst_ThreadCrypto::releaseFreesWhatTheThreadAllocated()
{
    long before = -1, used = -1, released = -1;
    std::thread thread([&] {
        before = g_liveAllocations.load();
        if (!useOpenSslOnThisThread())
            return;
        used = g_liveAllocations.load();
        releaseThreadCryptoState();
        released = g_liveAllocations.load();
    });
    thread.join();
    QVERIFY2(used > before, qPrintable(QStringLiteral("%1 allocations before, %2 after").arg(before).arg(used)));
    QVERIFY2(released <= before, qPrintable(QStringLiteral("%1 allocations before, %2 after the release").arg(before).arg(released)));
}

void tst_ThreadCrypto::stopThreadReleasesBeforeTheThreadFinishes()
{
    QThread thread;
    const ThreadMailbox mailbox = ThreadMailbox::create(&thread);
    std::atomic<long> before{-1}, used{-1}, atFinish{-1};
    // Emitted on the thread after its event loop ended and before wait() returns; the thread's exit
    // handlers (OpenSSL's own cleanup) run only after it.
    connect(&thread, &QThread::finished, &thread, [&] { atFinish = g_liveAllocations.load(); }, Qt::DirectConnection);
    thread.start();
    QVERIFY(mailbox.postAndWait([&] {
        before = g_liveAllocations.load();
        if (useOpenSslOnThisThread())
            used = g_liveAllocations.load();
    }));
    mailbox.stopThread(&thread, [] {});
    QVERIFY(used > before);
    QVERIFY2(atFinish <= before, qPrintable(QStringLiteral("%1 allocations before, %2 when the thread finished")
                                                .arg(before.load()).arg(atFinish.load())));
}

int main(int argc, char **argv)
{
    // Before anything allocates through OpenSSL: it refuses new functions after its first allocation.
    if (CRYPTO_set_mem_functions(countedMalloc, countedRealloc, countedFree) != 1) {
        std::fputs("tst_threadcrypto: OpenSSL allocated before main; cannot count its allocations\n", stderr);
        return 1;
    }
    QCoreApplication app(argc, argv);
    tst_ThreadCrypto test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_threadcrypto.moc"
