// Background JWKS fetching with QNetworkAccessManager on the engine's thread.
#include "jwksfetcher.h"

#include <QDeadlineTimer>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace Gatehouse {

Q_LOGGING_CATEGORY(lcJwks, "gatehouse.jwks")

namespace {

qint64 monotonicMs()
{
    return QDeadlineTimer::current().deadline();
}

} // namespace

JwksFetcher::JwksFetcher(QObject *parent)
    : QObject(parent), m_network(new QNetworkAccessManager(this)), m_home(ThreadMailbox::current()), m_self(this)
{
}

JwksFetcher::~JwksFetcher()
{
    for (State &s : m_sources) {
        if (s.reply)
            s.reply->abort();
    }
}

int JwksFetcher::addSource(Source source)
{
    State state;
    state.source = std::move(source);
    state.timer = new QTimer(this);
    m_sources.append(state);
    return int(m_sources.size() - 1);
}

void JwksFetcher::start()
{
    m_postedMs = std::make_unique<std::atomic<qint64>[]>(size_t(m_sources.size()));
    for (const State &s : std::as_const(m_sources))
        m_minRefetchMs.push_back(qint64(s.source.minRefetch.count()) * 1000);
    for (int id = 0; id < m_sources.size(); ++id) {
        m_postedMs[size_t(id)].store(-1, std::memory_order_relaxed);
        State &s = m_sources[id];
        s.timer->setInterval(std::chrono::duration_cast<std::chrono::milliseconds>(s.source.refresh));
        connect(s.timer, &QTimer::timeout, this, [this, id] { fetch(id, true); });
        s.timer->start();
        fetch(id, true);
    }
}

void JwksFetcher::requestRefetch(int id)
{
    if (id < 0 || size_t(id) >= m_minRefetchMs.size())
        return;
    const qint64 now = monotonicMs();
    std::atomic<qint64> &posted = m_postedMs[size_t(id)];
    qint64 last = posted.load(std::memory_order_relaxed);
    if ((last >= 0 && now - last < m_minRefetchMs[size_t(id)])
        || !posted.compare_exchange_strong(last, now, std::memory_order_relaxed))
        return;
    m_home.post([self = m_self, id] {
        if (self)
            self->fetch(id, false);
    });
}

void JwksFetcher::fetch(int id, bool periodic)
{
    if (id < 0 || id >= m_sources.size())
        return;
    State &s = m_sources[id];
    const qint64 now = monotonicMs();
    const qint64 minGapMs = qint64(s.source.minRefetch.count()) * 1000;
    if (!periodic && s.lastStartMs >= 0 && now - s.lastStartMs < minGapMs)
        return;
    if (s.reply) {
        // A token asks for keys while a fetch has hung for a whole minRefetch period: that fetch is
        // given up for a new one, so an endpoint that was slow or unreachable is caught up with one
        // minRefetch after it recovers, not at the transfer timeout. The periodic refresh waits.
        if (periodic)
            return;
        QNetworkReply *stale = std::exchange(s.reply, nullptr);
        stale->disconnect(this);
        stale->abort();
        stale->deleteLater();
    }
    s.lastStartMs = now;
    QNetworkRequest request(s.source.url);
    request.setTransferTimeout(10'000);
    request.setRawHeader("Accept", "application/jwk-set+json, application/json");
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    s.reply = m_network->get(request);
    connect(s.reply, &QNetworkReply::finished, this, [this, id] { finished(id); });
}

void JwksFetcher::finished(int id)
{
    State &s = m_sources[id];
    QNetworkReply *reply = s.reply;
    s.reply = nullptr;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    QString problem;
    QList<Jwk> keys;
    if (reply->error() != QNetworkReply::NoError) {
        problem = reply->errorString();
    } else if (status != 200) {
        problem = QStringLiteral("HTTP status %1").arg(status);
    } else {
        const QByteArray body = reply->read(kMaxJwksBytes + 1);
        if (body.size() > kMaxJwksBytes) {
            problem = QStringLiteral("the JWKS is larger than 1 MiB");
        } else if (auto parsed = parseJwks(body)) {
            keys = std::move(*parsed);
        } else {
            problem = parsed.error().message;
        }
    }
    if (!problem.isEmpty()) {
        qCWarning(lcJwks).noquote() << QStringLiteral("issuer '%1': fetching %2 failed (%3); keeping the last good keys")
                                           .arg(s.source.issuerName, s.source.url.toDisplayString(), problem);
        emit fetched(s.source.issuerName, false, problem);
        return;
    }
    const int count = int(keys.size());
    s.source.keys->replace(std::make_shared<const QList<Jwk>>(std::move(keys)));
    emit fetched(s.source.issuerName, true, QStringLiteral("%1 keys").arg(count));
}

} // namespace Gatehouse
