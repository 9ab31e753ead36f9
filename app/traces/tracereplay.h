// Replay: a captured request (TraceRecord::capture) resent through the embedded gateway against
// its current configuration, and the comparison of the recorded answer with the new one (status,
// header and body differences, the new trace for Explain).
#pragma once

#include "telemetry/tracerecord.h"

#include <QCoreApplication>
#include <QObject>
#include <QPointer>
#include <QStringList>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace Gatehouse {

class GatewayEngine;

// One line of a line-by-line difference.
struct DiffLine
{
    enum class Kind { Same = 1, Removed, Added };
    Kind kind = Kind::Same;
    QString text;
};

class ReplayDiff
{
    Q_DECLARE_TR_FUNCTIONS(Gatehouse::ReplayDiff)
public:
    // The lines of `after` against those of `before` (longest common subsequence): removed lines
    // first where both sides changed. Inputs of more than kMaxLines lines each are compared as
    // wholes (all removed, all added) rather than slowly.
    static constexpr qsizetype kMaxLines = 4000;
    static QList<DiffLine> lines(const QStringList &before, const QStringList &after);
    // "name: value" per field, names lowercased, sorted; fields that differ on every request
    // (Date, Server-Timing, traceparent, tracestate) are left out.
    static QStringList headerLines(const QList<TraceHeaderField> &fields);
    // A body as text for reading and diffing: JSON pretty-printed (indented, keys as sent), text
    // as is, anything else summarised ("(1234 bytes of binary data)").
    static QString bodyText(const QByteArray &body, QByteArrayView contentType);
};

// The header's value in `fields` (first match, case-insensitive); null when absent.
QByteArray fieldValue(const QList<TraceHeaderField> &fields, QByteArrayView name);

// What came back when a captured request was sent again.
struct ReplayOutcome
{
    bool ok = false;            // an HTTP answer arrived (status set)
    QString error;              // when !ok: why not (connection refused, timeout ...)
    int status = 0;
    QList<TraceHeaderField> headers;
    QByteArray body;
    QByteArray traceIdHex;      // of the new request (sent in its traceparent)
    TraceRecord trace;          // the gateway's record of it; empty method when it never came
    bool traceArrived() const { return !trace.method.isEmpty(); }
};

// Resends captured requests. Credentials in the captured fields are used in memory only: nothing
// is written, cookies are neither stored nor added. Threading: the GUI thread.
class TraceReplayer : public QObject
{
    Q_OBJECT
public:
    explicit TraceReplayer(QObject *parent = nullptr);
    ~TraceReplayer() override;

    // The gateway the request goes to and whose traceBatch brings the new trace.
    void setEngine(GatewayEngine *engine);

    // Empty when `record` can be resent faithfully, else why not (a sentence for the user).
    static QString refusal(const TraceRecord &record);
    // The fields sent again: the captured ones minus hop-by-hop fields (and those Connection
    // names), Host, Content-Length and the trace context (a new one is sent).
    static QList<TraceHeaderField> resentFields(const TraceRecord &record);

    // Sends `record` again to the running gateway; finished() follows (also on failure). False
    // (nothing sent, no signal) when refusal() says why, the gateway is not running or a replay
    // is in progress; `why` then says so.
    bool replay(const TraceRecord &record, QString *why = nullptr);
    bool isBusy() const { return m_reply != nullptr || m_waitingForTrace; }

signals:
    void finished(const Gatehouse::ReplayOutcome &outcome);

private:
    void replyFinished();
    void tracesArrived(const QList<TraceRecord> &records);
    void finish();

    QNetworkAccessManager *m_network;
    QPointer<GatewayEngine> m_engine;
    QNetworkReply *m_reply = nullptr;
    QTimer *m_traceWait;
    ReplayOutcome m_outcome;
    bool m_waitingForTrace = false;
};

} // namespace Gatehouse

Q_DECLARE_METATYPE(Gatehouse::ReplayOutcome)
