// Benchmark: Http1Parser on a 400-byte browser-like request, 1M times, against a reference that only
// finds the end of the head and copies it (the least any head-owning parser does). Prints ns per
// request, MB/s and the ratio. Usage: bench_http1_parse [iterations]
#include "http/http1parser.h"

#include <QByteArray>
#include <QCoreApplication>

#include <chrono>
#include <cstdio>
#include <cstring>

using namespace Gatehouse;

namespace {

QByteArray browserRequest()
{
    QByteArray r = "GET /api/v1/pets/4711/photos?size=large&format=webp HTTP/1.1\r\n"
                   "Host: petstore.example.com\r\n"
                   "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0\r\n"
                   "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
                   "Accept-Language: en-US,en;q=0.5\r\n"
                   "Accept-Encoding: gzip, deflate, br\r\n"
                   "Connection: keep-alive\r\n"
                   "Cookie: session=8f14e45fceea167a5a36dedd4bea2543\r\n"
                   "\r\n";
    return r;
}

struct Measurement
{
    double nsPerRequest = 0;
    double megabytesPerSecond = 0;
};

template<typename Body>
Measurement measure(qint64 iterations, qsizetype bytesPerIteration, int requestsPerIteration,
                    Body body)
{
    for (qint64 i = 0; i < iterations / 20; ++i) // warm caches and branch predictors
        body();
    const auto start = std::chrono::steady_clock::now();
    for (qint64 i = 0; i < iterations; ++i)
        body();
    const double ns = double(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::steady_clock::now() - start)
                                 .count());
    Measurement m;
    m.nsPerRequest = ns / double(iterations * requestsPerIteration);
    m.megabytesPerSecond = double(bytesPerIteration) * double(iterations) / ns * 1e3;
    return m;
}

volatile qsizetype g_sink = 0; // keeps the optimiser from dropping the work

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 iterations = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1'000'000;
    const QByteArray request = browserRequest();

    // One keep-alive connection: the same parser reads request after request.
    Http1Parser parser(Http1Role::Request);
    const Measurement single = measure(iterations, request.size(), 1, [&] {
        Http1Step s = parser.next(request);
        if (s.event != Http1Event::Head) {
            std::fprintf(stderr, "unexpected event %d\n", int(s.event));
            std::exit(1);
        }
        g_sink = g_sink + parser.head().headers.size() + parser.head().target.size();
        s = parser.next({});
        g_sink = g_sink + int(s.event);
    });

    // Sixteen pipelined requests arriving in one read.
    QByteArray pipelined;
    for (int i = 0; i < 16; ++i)
        pipelined += request;
    Http1Parser pipeParser(Http1Role::Request);
    const Measurement batch = measure(iterations / 16, pipelined.size(), 16, [&] {
        QByteArrayView in(pipelined);
        while (!in.isEmpty()) {
            const Http1Step s = pipeParser.next(in);
            in = in.sliced(s.consumed);
            if (s.event == Http1Event::Head)
                g_sink = g_sink + pipeParser.head().headers.size();
        }
        g_sink = g_sink + int(pipeParser.next({}).event);
    });

    // Reference: locate "\r\n\r\n" with memmem and copy the head; no validation at all.
    QByteArray copy;
    copy.reserve(1024);
    const Measurement reference = measure(iterations, request.size(), 1, [&] {
        const void *end = memmem(request.constData(), size_t(request.size()), "\r\n\r\n", 4);
        const auto len = static_cast<const char *>(end) - request.constData() + 4;
        copy.resize(len);
        std::memcpy(copy.data(), request.constData(), size_t(len));
        g_sink = g_sink + copy.size();
    });

    std::printf("request: %lld bytes, %d fields, %lld iterations\n", qlonglong(request.size()),
                int(parser.head().headers.size()), qlonglong(iterations));
    std::printf("Http1Parser, one request per read:   %7.1f ns/request  %7.0f MB/s\n",
                single.nsPerRequest, single.megabytesPerSecond);
    std::printf("Http1Parser, 16 pipelined per read:  %7.1f ns/request  %7.0f MB/s\n",
                batch.nsPerRequest, batch.megabytesPerSecond);
    std::printf("reference (memmem + memcpy only):    %7.1f ns/request  %7.0f MB/s\n",
                reference.nsPerRequest, reference.megabytesPerSecond);
    std::printf("ratio parser/reference: %.1fx; at 150k req/s the parser takes %.2f%% of a core\n",
                single.nsPerRequest / reference.nsPerRequest, single.nsPerRequest * 150e3 / 1e7);
    return 0;
}
