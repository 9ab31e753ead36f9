// Replay of captured requests and the comparison of their answers.
#include "tracereplay.h"

#include "tracetablemodel.h"

#include "engine/gatewayengine.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <vector>

namespace Gatehouse {

namespace {

// How long the new trace may take to arrive after the answer (the engine drains every 100 ms).
constexpr int kTraceWaitMs = 3000;
constexpr int kReplayTimeoutMs = 30'000;

bool nameIs(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

bool isTextual(QByteArrayView contentType)
{
    const QByteArray type = contentType.toByteArray().toLower();
    return type.startsWith("text/") || type.contains("json") || type.contains("xml")
           || type.contains("javascript") || type.contains("x-www-form-urlencoded") || type.contains("yaml");
}

QByteArray randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator::securelySeeded().fillRange(reinterpret_cast<quint32 *>(raw.data()), bytes / 4);
    return raw.toHex();
}

} // namespace

QByteArray fieldValue(const QList<TraceHeaderField> &fields, QByteArrayView name)
{
    for (const TraceHeaderField &f : fields) {
        if (nameIs(f.name, name))
            return f.value.isNull() ? QByteArray("") : f.value;
    }
    return {};
}

QList<DiffLine> ReplayDiff::lines(const QStringList &before, const QStringList &after)
{
    QList<DiffLine> out;
    const qsizetype n = before.size();
    const qsizetype m = after.size();
    if (n > kMaxLines || m > kMaxLines) {
        for (const QString &l : before)
            out.append({DiffLine::Kind::Removed, l});
        for (const QString &l : after)
            out.append({DiffLine::Kind::Added, l});
        return out;
    }
    // lcs[i][j]: the longest common subsequence of before[i..] and after[j..].
    std::vector<std::vector<int>> lcs(size_t(n + 1), std::vector<int>(size_t(m + 1), 0));
    for (qsizetype i = n - 1; i >= 0; --i) {
        for (qsizetype j = m - 1; j >= 0; --j) {
            lcs[size_t(i)][size_t(j)] = before.at(i) == after.at(j)
                                            ? lcs[size_t(i + 1)][size_t(j + 1)] + 1
                                            : std::max(lcs[size_t(i + 1)][size_t(j)], lcs[size_t(i)][size_t(j + 1)]);
        }
    }
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && before.at(i) == after.at(j)) {
            out.append({DiffLine::Kind::Same, before.at(i)});
            ++i;
            ++j;
        } else if (i < n && (j == m || lcs[size_t(i + 1)][size_t(j)] >= lcs[size_t(i)][size_t(j + 1)])) {
            out.append({DiffLine::Kind::Removed, before.at(i++)});
        } else {
            out.append({DiffLine::Kind::Added, after.at(j++)});
        }
    }
    return out;
}

QStringList ReplayDiff::headerLines(const QList<TraceHeaderField> &fields)
{
    QStringList out;
    for (const TraceHeaderField &f : fields) {
        const QByteArray name = f.name.toLower();
        if (name == "date" || name == "server-timing" || name == "traceparent" || name == "tracestate")
            continue;
        out.append(QString::fromUtf8(name) + QStringLiteral(": ") + QString::fromUtf8(f.value));
    }
    std::stable_sort(out.begin(), out.end());
    return out;
}

QString ReplayDiff::bodyText(const QByteArray &body, QByteArrayView contentType)
{
    if (body.isEmpty())
        return {};
    QJsonParseError error;
    const QJsonDocument json = QJsonDocument::fromJson(body, &error);
    if (error.error == QJsonParseError::NoError && (json.isObject() || json.isArray()))
        return QString::fromUtf8(json.toJson(QJsonDocument::Indented)).trimmed();
    const QString text = QString::fromUtf8(body);
    const bool decodes = !text.contains(QChar::ReplacementCharacter) && !body.contains('\0');
    if (decodes && (contentType.isEmpty() || isTextual(contentType)))
        return text;
    return tr("(%1 bytes of binary data)").arg(body.size());
}

TraceReplayer::TraceReplayer(QObject *parent)
    : QObject(parent), m_network(new QNetworkAccessManager(this)), m_traceWait(new QTimer(this))
{
    // Answers are compared as they are: no redirects followed, no cookie jar, no cache.
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_network->setCookieJar(nullptr);
    m_traceWait->setSingleShot(true);
    m_traceWait->setInterval(kTraceWaitMs);
    connect(m_traceWait, &QTimer::timeout, this, &TraceReplayer::finish);
}

TraceReplayer::~TraceReplayer()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void TraceReplayer::setEngine(GatewayEngine *engine)
{
    if (m_engine)
        disconnect(m_engine, nullptr, this, nullptr);
    m_engine = engine;
    if (engine)
        connect(engine, &GatewayEngine::traceBatch, this, &TraceReplayer::tracesArrived);
}

QString TraceReplayer::refusal(const TraceRecord &record)
{
    const TraceCapture &c = record.capture;
    if (!c.present) {
        return tr("This request was recorded without its capture (capture was off, or it is older than "
                  "the %n request(s) whose capture the Traces dock keeps): it cannot be resent.",
                  nullptr, TraceTableModel::kCapturesKept);
    }
    if (c.requestBody.truncated()) {
        return tr("The request body was truncated when captured (%1 of %2 bytes kept; the cap is "
                  "telemetry.tracing.capture.maxBodyBytes): it cannot be resent faithfully.")
            .arg(c.requestBody.bytes.size())
            .arg(c.requestBody.totalBytes);
    }
    if (!c.requestBody.complete) {
        return tr("The request body did not arrive whole (%1 bytes before the exchange ended): it "
                  "cannot be resent faithfully.")
            .arg(c.requestBody.totalBytes);
    }
    return {};
}

QList<TraceHeaderField> TraceReplayer::resentFields(const TraceRecord &record)
{
    static const QByteArrayView kDropped[] = {"connection", "keep-alive", "proxy-connection", "te", "trailer",
                                              "transfer-encoding", "upgrade", "host", "content-length",
                                              "expect", "http2-settings", "traceparent", "tracestate"};
    // Fields the client's Connection field names are hop-by-hop too (RFC 9110 §7.6.1).
    QList<QByteArray> named;
    for (const TraceHeaderField &f : record.capture.requestHeaders) {
        if (nameIs(f.name, "connection")) {
            for (const QByteArray &token : f.value.split(','))
                named.append(token.trimmed().toLower());
        }
    }
    QList<TraceHeaderField> out;
    for (const TraceHeaderField &f : record.capture.requestHeaders) {
        // HTTP/2 pseudo-header fields are not fields of a request.
        if (f.name.startsWith(':'))
            continue;
        const QByteArray lower = f.name.toLower();
        const bool dropped = std::any_of(std::begin(kDropped), std::end(kDropped),
                                         [&lower](QByteArrayView d) { return lower == d; });
        if (!dropped && !named.contains(lower))
            out.append(f);
    }
    return out;
}

bool TraceReplayer::replay(const TraceRecord &record, QString *why)
{
    auto refuse = [why](const QString &text) {
        if (why)
            *why = text;
        return false;
    };
    if (isBusy())
        return refuse(tr("A replay is in progress."));
    if (const QString refused = refusal(record); !refused.isEmpty())
        return refuse(refused);
    if (!m_engine || m_engine->state() != GatewayEngine::State::Running || m_engine->httpPort() == 0)
        return refuse(tr("The gateway is not running: start it to replay requests."));

    m_outcome = ReplayOutcome();
    m_outcome.traceIdHex = randomHex(16);
    QUrl url(QStringLiteral("http://127.0.0.1:%1").arg(m_engine->httpPort()));
    const QByteArray &target = record.capture.target;
    const qsizetype q = target.indexOf('?');
    url.setPath(QString::fromUtf8(q < 0 ? target : target.first(q)), QUrl::TolerantMode);
    if (q >= 0)
        url.setQuery(QString::fromUtf8(target.sliced(q + 1)), QUrl::TolerantMode);
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setTransferTimeout(kReplayTimeoutMs);
    for (const TraceHeaderField &f : resentFields(record))
        request.setRawHeader(f.name, f.value);
    // A trace of its own, sampled: its record comes back through traceBatch for Explain.
    request.setRawHeader("traceparent", "00-" + m_outcome.traceIdHex + '-' + randomHex(8) + "-01");
    const QByteArray &body = record.capture.requestBody.bytes;
    m_reply = body.isEmpty() && record.capture.requestBody.totalBytes == 0
                  ? m_network->sendCustomRequest(request, record.method)
                  : m_network->sendCustomRequest(request, record.method, body);
    connect(m_reply, &QNetworkReply::finished, this, &TraceReplayer::replyFinished);
    return true;
}

void TraceReplayer::replyFinished()
{
    QNetworkReply *reply = std::exchange(m_reply, nullptr);
    reply->deleteLater();
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (status.isValid()) {
        m_outcome.ok = true;
        m_outcome.status = status.toInt();
        for (const QNetworkReply::RawHeaderPair &h : reply->rawHeaderPairs())
            m_outcome.headers.append({h.first, h.second});
        m_outcome.body = reply->readAll();
    } else {
        m_outcome.error = reply->errorString();
    }
    if (m_outcome.traceArrived() || !m_outcome.ok) {
        finish();
        return;
    }
    m_waitingForTrace = true;
    m_traceWait->start();
}

void TraceReplayer::tracesArrived(const QList<TraceRecord> &records)
{
    if (m_outcome.traceIdHex.isEmpty() || m_outcome.traceArrived())
        return;
    for (const TraceRecord &r : records) {
        if (r.traceId.toHex() == m_outcome.traceIdHex) {
            m_outcome.trace = r;
            if (m_waitingForTrace)
                finish();
            return;
        }
    }
}

void TraceReplayer::finish()
{
    m_traceWait->stop();
    m_waitingForTrace = false;
    const ReplayOutcome outcome = std::exchange(m_outcome, ReplayOutcome());
    emit finished(outcome);
}

} // namespace Gatehouse
