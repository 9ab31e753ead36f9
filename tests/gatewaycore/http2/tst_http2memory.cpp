// The allocator nghttp2 sessions use: blocks are reused by size class on their thread, contents
// survive realloc, calloc zeroes reused blocks, large blocks and frees past the cap go to malloc,
// and a session runs on it end to end.
#include "http/http2memory.h"

#include <QTest>
#include <QThread>

#include <cstring>
#include <vector>

using namespace Gatehouse;

class tst_Http2Memory : public QObject
{
    Q_OBJECT

private slots:
    void aFreedBlockServesTheNextAllocationOfItsClass_data();
    void aFreedBlockServesTheNextAllocationOfItsClass();
    void reallocKeepsTheBytesAndGrowsInPlaceWithinTheClass();
    void callocZeroesAReusedBlock();
    void blocksLargerThanTheLargestClassAreNotKept();
    void theCacheStopsAtItsCap();
    void blocksFreedOnAnotherThreadJoinThatThreadsCache();
    void aSessionRunsOnTheAllocator();
};

void tst_Http2Memory::aFreedBlockServesTheNextAllocationOfItsClass_data()
{
    QTest::addColumn<size_t>("first");
    QTest::addColumn<size_t>("second");
    QTest::addColumn<bool>("reused");
    QTest::newRow("the same size is served by the freed block") << size_t(100) << size_t(100) << true;
    QTest::newRow("a size in the same 64-byte class is served by it") << size_t(65) << size_t(128) << true;
    QTest::newRow("a size of the next class is not") << size_t(64) << size_t(65) << false;
    QTest::newRow("zero bytes share the smallest class") << size_t(0) << size_t(1) << true;
}

void tst_Http2Memory::aFreedBlockServesTheNextAllocationOfItsClass()
{
    QFETCH(size_t, first);
    QFETCH(size_t, second);
    QFETCH(bool, reused);
    nghttp2_mem *mem = http2Memory();
    void *a = mem->malloc(first, mem->mem_user_data);
    QVERIFY(a);
    mem->free(a, mem->mem_user_data);
    const qint64 before = http2MemoryStats().reused;
    void *b = mem->malloc(second, mem->mem_user_data);
    QVERIFY(b);
    QCOMPARE(b == a, reused);
    if (reused)   // (another class may serve a block freed by an earlier row: not counted here)
        QCOMPARE(http2MemoryStats().reused - before, 1);
    QCOMPARE(reinterpret_cast<quintptr>(b) % 16, quintptr(0));
    mem->free(b, mem->mem_user_data);
}

void tst_Http2Memory::reallocKeepsTheBytesAndGrowsInPlaceWithinTheClass()
{
    nghttp2_mem *mem = http2Memory();
    auto *p = static_cast<char *>(mem->malloc(10, mem->mem_user_data));
    std::memcpy(p, "0123456789", 10);
    QCOMPARE(mem->realloc(p, 60, mem->mem_user_data), p);   // still within its 64-byte class
    auto *q = static_cast<char *>(mem->realloc(p, 1000, mem->mem_user_data));
    QVERIFY(q);
    QCOMPARE(QByteArrayView(q, 10), QByteArrayView("0123456789"));
    auto *r = static_cast<char *>(mem->realloc(q, 100'000, mem->mem_user_data));   // beyond the classes
    QVERIFY(r);
    QCOMPARE(QByteArrayView(r, 10), QByteArrayView("0123456789"));
    mem->free(r, mem->mem_user_data);
    mem->free(nullptr, mem->mem_user_data);   // as free(NULL): nothing
}

void tst_Http2Memory::callocZeroesAReusedBlock()
{
    nghttp2_mem *mem = http2Memory();
    auto *p = static_cast<unsigned char *>(mem->malloc(200, mem->mem_user_data));
    std::memset(p, 0xab, 200);
    mem->free(p, mem->mem_user_data);
    auto *q = static_cast<unsigned char *>(mem->calloc(10, 20, mem->mem_user_data));
    QCOMPARE(q, p);
    for (int i = 0; i < 200; ++i)
        QCOMPARE(q[i], 0);
    mem->free(q, mem->mem_user_data);
    QVERIFY(!mem->calloc(size_t(-1) / 2, 4, mem->mem_user_data));   // overflow: refused, no crash
}

void tst_Http2Memory::blocksLargerThanTheLargestClassAreNotKept()
{
    nghttp2_mem *mem = http2Memory();
    const qint64 before = http2MemoryStats().cachedBytes;
    void *p = mem->malloc(size_t(kHttp2MaxCachedBytes) + 1, mem->mem_user_data);
    mem->free(p, mem->mem_user_data);
    QCOMPARE(http2MemoryStats().cachedBytes, before);
}

void tst_Http2Memory::theCacheStopsAtItsCap()
{
    nghttp2_mem *mem = http2Memory();
    std::vector<void *> blocks;
    const qsizetype n = 2 * kHttp2MaxCachedTotalBytes / kHttp2MaxCachedBytes;
    for (qsizetype i = 0; i < n; ++i)
        blocks.push_back(mem->malloc(size_t(kHttp2MaxCachedBytes), mem->mem_user_data));
    for (void *p : blocks)
        mem->free(p, mem->mem_user_data);
    QCOMPARE(http2MemoryStats().cachedBytes <= kHttp2MaxCachedTotalBytes, true);
    QVERIFY(http2MemoryStats().cachedBytes > kHttp2MaxCachedTotalBytes - kHttp2MaxCachedBytes);
}

void tst_Http2Memory::blocksFreedOnAnotherThreadJoinThatThreadsCache()
{
    nghttp2_mem *mem = http2Memory();
    void *p = mem->malloc(300, mem->mem_user_data);
    qint64 otherCached = -1;
    void *reusedThere = nullptr;
    QThread *thread = QThread::create([&] {
        mem->free(p, mem->mem_user_data);
        otherCached = http2MemoryStats().cachedBytes;
        reusedThere = mem->malloc(300, mem->mem_user_data);
        mem->free(reusedThere, mem->mem_user_data);
    });
    thread->start();
    QVERIFY(thread->wait(10'000));
    delete thread;
    QCOMPARE(otherCached, qint64(320));
    QCOMPARE(reusedThere, p);   // freed there, reused there; its cache let it go at thread exit
}

void tst_Http2Memory::aSessionRunsOnTheAllocator()
{
    // A client and a server session exchange their prefaces and SETTINGS through memory, both
    // on the allocator: every nghttp2 allocation and free goes through it.
    nghttp2_session_callbacks *callbacks = nullptr;
    QCOMPARE(nghttp2_session_callbacks_new(&callbacks), 0);
    nghttp2_session *client = nullptr;
    nghttp2_session *server = nullptr;
    QCOMPARE(nghttp2_session_client_new3(&client, callbacks, nullptr, nullptr, http2Memory()), 0);
    QCOMPARE(nghttp2_session_server_new3(&server, callbacks, nullptr, nullptr, http2Memory()), 0);
    nghttp2_session_callbacks_del(callbacks);
    QCOMPARE(nghttp2_submit_settings(client, NGHTTP2_FLAG_NONE, nullptr, 0), 0);
    QCOMPARE(nghttp2_submit_settings(server, NGHTTP2_FLAG_NONE, nullptr, 0), 0);
    const nghttp2_nv nv[] = {
        {(uint8_t *)":method", (uint8_t *)"GET", 7, 3, NGHTTP2_NV_FLAG_NONE},
        {(uint8_t *)":scheme", (uint8_t *)"http", 7, 4, NGHTTP2_NV_FLAG_NONE},
        {(uint8_t *)":path", (uint8_t *)"/", 5, 1, NGHTTP2_NV_FLAG_NONE},
        {(uint8_t *)":authority", (uint8_t *)"a.test", 10, 6, NGHTTP2_NV_FLAG_NONE},
    };
    QVERIFY(nghttp2_submit_request(client, nullptr, nv, std::size(nv), nullptr, nullptr) > 0);
    for (int round = 0; round < 4; ++round) {
        const uint8_t *out = nullptr;
        ssize_t n;
        while ((n = nghttp2_session_mem_send(client, &out)) > 0)
            QCOMPARE(nghttp2_session_mem_recv(server, out, size_t(n)), n);
        while ((n = nghttp2_session_mem_send(server, &out)) > 0)
            QCOMPARE(nghttp2_session_mem_recv(client, out, size_t(n)), n);
    }
    QCOMPARE(nghttp2_session_get_last_proc_stream_id(server), 1);
    nghttp2_session_del(client);
    nghttp2_session_del(server);
    QVERIFY(http2MemoryStats().cachedBytes > 0);   // the sessions' blocks wait for the next ones
}

QTEST_GUILESS_MAIN(tst_Http2Memory)
#include "tst_http2memory.moc"
