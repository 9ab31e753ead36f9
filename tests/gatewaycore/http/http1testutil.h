// Test helper: drives an Http1Parser the way a connection does and records what it reported, as
// owned copies, so tests compare whole transcripts (all at once vs one byte at a time, ...).
#pragma once

#include "http/http1parser.h"

#include <QByteArray>
#include <QList>
#include <QPair>

#include <optional>

namespace Gatehouse::Test {

struct ParsedMessage
{
    QByteArray method;
    QByteArray target;
    int status = 0;
    HttpVersion version = HttpVersion::Http11;
    QList<QPair<QByteArray, QByteArray>> headers;
    Http1Framing framing = Http1Framing::NoBody;
    qint64 contentLength = 0;
    bool keepAlive = false;
    bool expectContinue = false;
    bool upgrade = false;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> trailers;
    bool complete = false;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &h : headers) {
            if (httpEqualsIgnoreCase(h.first, name))
                return h.second;
        }
        return {};
    }
};

struct ParseOptions
{
    Http1Limits limits;
    qsizetype pieceSize = 0;         // 0: everything at once; 1: one byte per read; ...
    bool requireHost = true;
    bool finishAtEnd = false;        // call finish() after the last byte (peer closed)
    QList<HttpMethod> requestMethods; // response role: method answered by each final response
};

struct ParseOutcome
{
    QList<ParsedMessage> messages;
    std::optional<Http1Error> error;
    int errorStatus = 0;
    bool paused = false;
    qint64 offset = 0;          // bytes consumed when parsing stopped
    qint64 bodyBytes = 0;
    bool idle = true;           // the parser ended between messages (nothing partial pending)

    // One line per event, for QCOMPARE of whole transcripts.
    QByteArray transcript() const
    {
        QByteArray out;
        for (const ParsedMessage &m : messages) {
            out += "head " + m.method + ' ' + m.target + ' ' + QByteArray::number(m.status) + ' '
                   + (m.version == HttpVersion::Http11 ? "1.1" : "1.0") + " framing="
                   + QByteArray::number(int(m.framing)) + " cl=" + QByteArray::number(m.contentLength)
                   + " ka=" + QByteArray::number(m.keepAlive) + " up=" + QByteArray::number(m.upgrade)
                   + '\n';
            for (const auto &h : m.headers)
                out += "  " + h.first + ": " + h.second + '\n';
            out += "  body=" + m.body.toHex() + '\n';
            for (const auto &t : m.trailers)
                out += "  trailer " + t.first + ": " + t.second + '\n';
            if (m.complete)
                out += "complete\n";
        }
        if (error)
            out += "error " + http1ErrorName(*error).toByteArray() + '\n';
        if (paused)
            out += "paused at " + QByteArray::number(offset) + '\n';
        return out;
    }
};

inline QList<QPair<QByteArray, QByteArray>> copyFields(const Http1FieldList &fields)
{
    QList<QPair<QByteArray, QByteArray>> out;
    for (const Http1Field &f : fields)
        out.append({f.name.toByteArray(), f.value.toByteArray()});
    return out;
}

// Feeds `input` in pieces through a read buffer (as a socket would), draining events after each.
inline ParseOutcome parseAll(Http1Role role, QByteArrayView input, const ParseOptions &options = {})
{
    Http1Parser parser(role, options.limits);
    parser.setRequireHost(options.requireHost);
    ParseOutcome outcome;
    qsizetype methodIndex = 0;
    auto setMethod = [&] {
        if (role == Http1Role::Response && methodIndex < options.requestMethods.size())
            parser.setRequestMethod(options.requestMethods.at(methodIndex));
    };
    setMethod();

    // Returns false when parsing must stop (error or pause).
    auto handle = [&](const Http1Step &step) {
        switch (step.event) {
        case Http1Event::Head: {
            const Http1Head &h = parser.head();
            ParsedMessage m;
            m.method = h.methodName.toByteArray();
            m.target = h.target.toByteArray();
            m.status = h.statusCode;
            m.version = h.version;
            m.headers = copyFields(h.headers);
            m.framing = h.framing;
            m.contentLength = h.contentLength;
            m.keepAlive = h.keepAlive;
            m.expectContinue = h.expectContinue;
            m.upgrade = h.upgrade;
            outcome.messages.append(m);
            return true;
        }
        case Http1Event::Body:
            outcome.messages.last().body += step.data.toByteArray();
            outcome.bodyBytes += step.data.size();
            return true;
        case Http1Event::MessageComplete:
            outcome.messages.last().trailers = copyFields(parser.trailers());
            outcome.messages.last().complete = true;
            if (!parser.head().isInterim()) {
                ++methodIndex;
                setMethod();
            }
            return true;
        case Http1Event::Paused:
            outcome.paused = true;
            return false;
        case Http1Event::Error:
            outcome.error = parser.error().code;
            outcome.errorStatus = http1ErrorStatus(parser.error().code, role);
            return false;
        case Http1Event::NeedData:
            return true;
        }
        return false;
    };

    QByteArray buffer;
    const qsizetype piece = options.pieceSize > 0 ? options.pieceSize : qMax<qsizetype>(1, input.size());
    bool stopped = false;
    for (qsizetype pos = 0; pos < input.size() && !stopped; pos += piece) {
        buffer.append(input.sliced(pos, qMin(piece, input.size() - pos)));
        for (;;) {
            const Http1Step step = parser.next(buffer);
            const bool go = handle(step); // before remove(): step.data points into buffer
            buffer.remove(0, step.consumed);
            if (!go) {
                stopped = true;
                break;
            }
            if (step.event == Http1Event::NeedData)
                break;
        }
    }
    if (!stopped && options.finishAtEnd) {
        Http1Step step = parser.finish();
        while (handle(step) && step.event != Http1Event::NeedData)
            step = parser.next({});
    }
    outcome.offset = parser.offset();
    outcome.idle = parser.isIdle();
    return outcome;
}

} // namespace Gatehouse::Test
