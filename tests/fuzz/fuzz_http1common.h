// Shared driver of the HTTP/1.1 parser fuzzers: feeds one input several ways (whole, split at a
// point chosen by the first byte, one byte at a time) and checks the parser's invariants.
#pragma once

#include "http/http1parser.h"
#include "http/http1writer.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace Gatehouse::Fuzz {

[[noreturn]] inline void violated(const char *what)
{
    std::fprintf(stderr, "HTTP/1.1 parser invariant violated: %s\n", what);
    std::abort();
}

#define GATEHOUSE_FUZZ_CHECK(cond)                                                                 \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ::Gatehouse::Fuzz::violated(#cond);                                                    \
    } while (false)

struct Options
{
    Http1Role role = Http1Role::Request;
    Http1Limits limits;
    HttpMethod requestMethod = HttpMethod::Get; // response role: what every response answers
};

// A parsed head written back with Http1Writer must parse to the same head: whatever the parser
// accepts, the serializer accepts and reproduces.
inline void checkRoundTrip(const Http1Head &head, const Options &options, HttpMethod requestMethod)
{
    QByteArray wire;
    bool written = false;
    if (head.role == Http1Role::Request)
        written = Http1Writer::appendRequestHead(wire, head.methodName, head.target, head.version,
                                                 head.headers.fields());
    else
        written = Http1Writer::appendResponseHead(wire, head.statusCode, head.reason, head.version,
                                                  head.headers.fields());
    GATEHOUSE_FUZZ_CHECK(written);
    // Spacing may differ from the original ("a:b" is written "a: b"); only the body limit, which
    // decides framing, must stay the same.
    Http1Limits roomy;
    roomy.maxBodyBytes = options.limits.maxBodyBytes;
    Http1Parser again(head.role, roomy);
    again.setRequestMethod(requestMethod);
    const Http1Step s = again.next(wire);
    GATEHOUSE_FUZZ_CHECK(s.event == Http1Event::Head);
    GATEHOUSE_FUZZ_CHECK(s.consumed == wire.size());
    const Http1Head &h = again.head();
    GATEHOUSE_FUZZ_CHECK(h.methodName == head.methodName && h.target == head.target);
    GATEHOUSE_FUZZ_CHECK(h.statusCode == head.statusCode && h.version == head.version);
    GATEHOUSE_FUZZ_CHECK(h.framing == head.framing && h.contentLength == head.contentLength);
    GATEHOUSE_FUZZ_CHECK(h.headers.size() == head.headers.size());
    for (qsizetype i = 0; i < h.headers.size(); ++i) {
        GATEHOUSE_FUZZ_CHECK(h.headers.at(i).name == head.headers.at(i).name);
        GATEHOUSE_FUZZ_CHECK(h.headers.at(i).value == head.headers.at(i).value);
    }
}

// Feeds `input` through a read buffer in pieces ending at the given cut points, as a socket would,
// and returns a transcript that does not depend on how the bytes were cut.
inline std::string run(const Options &options, const std::string &input, size_t firstCut,
                       size_t pieceSize, bool roundTrip)
{
    Http1Parser parser(options.role, options.limits);
    parser.setRequestMethod(options.requestMethod);
    std::string transcript;
    std::string buffer;
    size_t heads = 0;
    size_t completes = 0;
    size_t bodyBytes = 0;
    bool inMessage = false;
    bool lastWasBody = false;
    bool stopped = false;
    HttpMethod requestMethod = options.requestMethod; // the parser falls back to GET after one

    auto drain = [&](bool atEof) {
        // Every call consumes bytes or moves the state machine on; a bound catches livelocks.
        for (size_t guard = 0; guard < 4 * input.size() + 64; ++guard) {
            const Http1Step s = atEof ? parser.finish() : parser.next(QByteArrayView(buffer));
            atEof = false;
            GATEHOUSE_FUZZ_CHECK(s.consumed >= 0 && size_t(s.consumed) <= buffer.size());
            GATEHOUSE_FUZZ_CHECK(s.event == Http1Event::Body || s.data.isEmpty());
            if (s.event != Http1Event::Body && s.event != Http1Event::NeedData)
                lastWasBody = false;
            switch (s.event) {
            case Http1Event::NeedData:
                GATEHOUSE_FUZZ_CHECK(size_t(s.consumed) == buffer.size()); // NeedData: all used
                buffer.erase(0, size_t(s.consumed));
                return;
            case Http1Event::Head: {
                GATEHOUSE_FUZZ_CHECK(!inMessage);
                inMessage = true;
                ++heads;
                const Http1Head &h = parser.head();
                transcript += "\nH " + h.methodName.toByteArray().toStdString() + ' '
                              + h.target.toByteArray().toStdString() + ' '
                              + std::to_string(h.statusCode) + ' ' + std::to_string(int(h.framing))
                              + ' ' + std::to_string(h.contentLength) + ' '
                              + std::to_string(h.keepAlive) + std::to_string(h.upgrade)
                              + std::to_string(h.expectContinue);
                for (const Http1Field &f : h.headers)
                    transcript += '|' + f.name.toByteArray().toStdString() + ':'
                                  + f.value.toByteArray().toStdString();
                if (roundTrip)
                    checkRoundTrip(h, options, requestMethod);
                break;
            }
            case Http1Event::Body:
                GATEHOUSE_FUZZ_CHECK(inMessage && s.data.size() > 0 && s.data.size() <= s.consumed);
                GATEHOUSE_FUZZ_CHECK(s.data.data() >= buffer.data()
                                     && s.data.data() + s.data.size() <= buffer.data() + s.consumed);
                bodyBytes += size_t(s.data.size());
                GATEHOUSE_FUZZ_CHECK(bodyBytes <= input.size());
                if (!lastWasBody)
                    transcript += "\nB ";
                transcript.append(s.data.data(), size_t(s.data.size()));
                lastWasBody = true;
                break;
            case Http1Event::MessageComplete:
                GATEHOUSE_FUZZ_CHECK(inMessage);
                inMessage = false;
                ++completes;
                if (!parser.head().isInterim())
                    requestMethod = HttpMethod::Get;
                transcript += "\nC";
                for (const Http1Field &f : parser.trailers())
                    transcript += '|' + f.name.toByteArray().toStdString() + ':'
                                  + f.value.toByteArray().toStdString();
                break;
            case Http1Event::Paused:
                GATEHOUSE_FUZZ_CHECK(s.consumed == 0 && parser.head().upgrade);
                transcript += "\nP";
                stopped = true;
                return;
            case Http1Event::Error: {
                GATEHOUSE_FUZZ_CHECK(s.consumed == 0 && parser.hasFailed());
                // Refused for good: nothing more is ever consumed or reported.
                const Http1Step again = parser.next(QByteArrayView(buffer));
                GATEHOUSE_FUZZ_CHECK(again.event == Http1Event::Error && again.consumed == 0);
                const int status = http1ErrorStatus(parser.error().code, options.role);
                GATEHOUSE_FUZZ_CHECK(status >= 400 && status <= 505);
                transcript += "\nE " + http1ErrorName(parser.error().code).toByteArray().toStdString();
                stopped = true;
                return;
            }
            }
            buffer.erase(0, size_t(s.consumed));
        }
        violated("no progress");
    };

    size_t pos = 0;
    for (bool first = true; pos < input.size() && !stopped; first = false) {
        const size_t take = first ? firstCut : std::min(pieceSize, input.size() - pos);
        buffer.append(input, pos, take);
        pos += take;
        drain(false);
    }
    if (!stopped)
        drain(true);
    GATEHOUSE_FUZZ_CHECK(completes <= heads);
    GATEHOUSE_FUZZ_CHECK(parser.offset() <= qint64(input.size()));
    return transcript;
}

// First byte: where the first cut falls and, in its low bits, small limits (to reach 413/414/431
// quickly) and the request method of responses.
inline void fuzzOne(Http1Role role, const uint8_t *data, size_t size)
{
    if (size < 1)
        return;
    const uint8_t control = data[0];
    const std::string input(reinterpret_cast<const char *>(data + 1), size - 1);
    Options options;
    options.role = role;
    if (control & 1) {
        options.limits.maxRequestLineBytes = 64;
        options.limits.maxHeaderBytes = 128;
        options.limits.maxHeaderCount = 4;
        options.limits.maxBodyBytes = 32;
        options.limits.maxChunkSizeDigits = 4;
        options.limits.maxChunkExtensionBytes = 8;
    }
    static const HttpMethod kMethods[] = {HttpMethod::Get, HttpMethod::Head, HttpMethod::Connect,
                                          HttpMethod::Post};
    options.requestMethod = kMethods[(control >> 1) & 3];

    const size_t cut = input.empty() ? 0 : (size_t(control) * input.size()) / 255;
    const std::string whole = run(options, input, input.size(), input.size(), true);
    const std::string split = run(options, input, cut, input.size(), false);
    auto same = [&whole](const std::string &other, const char *how) {
        if (other != whole) {
            std::fprintf(stderr, "all at once:%s\n---- %s:%s\n", whole.c_str(), how, other.c_str());
            violated("transcripts differ with the way the input is cut");
        }
    };
    same(split, "split");
    if (input.size() <= 4096)
        same(run(options, input, input.empty() ? 0 : 1, 1, false), "byte at a time");
}

} // namespace Gatehouse::Fuzz
