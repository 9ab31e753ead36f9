// TryItClient: one request at a time through QNetworkAccessManager, with cancel and timeout.
#include "tryitclient.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkRequest>
#include <QTimer>

namespace Gatehouse {

TryItClient::TryItClient(QObject *parent)
    : QObject(parent), m_network(new QNetworkAccessManager(this)), m_timer(new QTimer(this))
{
    // The console talks to the gateway on this machine; a system proxy would only get in the way.
    m_network->setProxy(QNetworkProxy::NoProxy);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (!m_reply)
            return;
        m_timedOut = true;
        m_reply->abort();
    });
}

void TryItClient::send(const TryItRequest &request)
{
    cancel();
    m_cancelled = false;
    m_timedOut = false;
    m_elapsed.start();

    const QUrl url = QUrl::fromUserInput(request.url.trimmed());
    if (request.url.trimmed().isEmpty()) {
        fail(tr("Enter a URL to send the request to."));
        return;
    }
    if (!url.isValid()
        || (url.scheme() != QStringLiteral("http") && url.scheme() != QStringLiteral("https"))) {
        fail(tr("'%1' is not an http:// or https:// URL.").arg(request.url.trimmed()));
        return;
    }

    QNetworkRequest req(url);
    // Show what the gateway answered: a 3xx is a result to look at, not something to follow.
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                     QNetworkRequest::ManualRedirectPolicy);
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    req.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("Gatehouse try-it"));
    for (const NameValue &h : request.headers) {
        if (!h.name.trimmed().isEmpty())
            req.setRawHeader(h.name.trimmed().toLatin1(), h.value.toUtf8());
    }
    if (!request.contentType.isEmpty() && !req.hasRawHeader(QByteArrayLiteral("Content-Type")))
        req.setRawHeader(QByteArrayLiteral("Content-Type"), request.contentType.toLatin1());
    if (const auto auth = authHeader(request.auth))
        req.setRawHeader(auth->first, auth->second);

    const QByteArray verb = request.method.trimmed().toUpper().toLatin1();
    const bool hasBody = !request.body.isEmpty() && verb != "GET" && verb != "HEAD";
    m_reply = hasBody ? m_network->sendCustomRequest(req, verb, request.body)
                      : m_network->sendCustomRequest(req, verb);
    connect(m_reply, &QNetworkReply::finished, this, &TryItClient::onFinished);
    m_timer->start(m_timeout);
}

void TryItClient::cancel()
{
    if (!m_reply)
        return;
    m_cancelled = true;
    m_reply->abort();   // emits finished() synchronously: onFinished reports the cancellation
}

void TryItClient::fail(const QString &sentence)
{
    TryItResponse response;
    response.error = sentence;
    response.elapsedMs = m_elapsed.elapsed();
    // Queued like a network answer, so callers see finished() after send() returns either way.
    QMetaObject::invokeMethod(
        this, [this, response] { emit finished(response); }, Qt::QueuedConnection);
}

void TryItClient::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || sender() != reply)
        return;
    m_reply = nullptr;
    m_timer->stop();
    reply->deleteLater();

    TryItResponse response;
    response.elapsedMs = m_elapsed.elapsed();
    response.cancelled = m_cancelled && !m_timedOut;
    response.timedOut = m_timedOut;
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (status.isValid() && !response.cancelled && !response.timedOut) {
        response.status = status.toInt();
        response.reason
            = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
        if (reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool())
            response.httpVersion = QByteArrayLiteral("HTTP/2");
        response.headers = reply->rawHeaderPairs();
        response.body = reply->readAll();
    }
    // Error statuses (4xx/5xx) arrive as reply errors too; with a status they are just responses.
    if (!response.hasResponse()) {
        if (response.timedOut) {
            const QString limit = m_timeout.count() % 1000 == 0
                                      ? tr("%n second(s)", nullptr, int(m_timeout.count() / 1000))
                                      : tr("%n ms", nullptr, int(m_timeout.count()));
            response.error
                = tr("No response within %1, so the request was stopped. The gateway or its "
                     "upstream may be slow or stuck; the timeout can be changed in the "
                     "console's ⋯ menu.")
                      .arg(limit);
        } else if (response.cancelled) {
            response.error = tr("You cancelled the request.");
        } else {
            response.error = errorSentence(reply->error(), reply->url(), reply->errorString());
        }
    }
    emit finished(response);
}

QString TryItClient::errorSentence(QNetworkReply::NetworkError error, const QUrl &url,
                                   const QString &detail)
{
    const QString where
        = url.port() > 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port()) : url.host();
    switch (error) {
        case QNetworkReply::ConnectionRefusedError:
            return tr("Nothing is listening on %1: the connection was refused. Is the gateway "
                      "running on "
                      "that port?")
                .arg(where);
        case QNetworkReply::RemoteHostClosedError:
            return tr("%1 closed the connection before it sent a response.").arg(where);
        case QNetworkReply::HostNotFoundError:
            return tr("The host name '%1' could not be resolved. Check the URL for typos.")
                .arg(url.host());
        case QNetworkReply::TimeoutError:
            return tr("The connection to %1 timed out.").arg(where);
        case QNetworkReply::SslHandshakeFailedError:
            return tr("The TLS handshake with %1 failed (%2). For a self-signed gateway "
                      "certificate, "
                      "use the http:// listener.")
                .arg(where, detail);
        case QNetworkReply::TemporaryNetworkFailureError:
        case QNetworkReply::NetworkSessionFailedError:
            return tr("The network is not available right now.");
        case QNetworkReply::ProtocolUnknownError:
            return tr("The URL's scheme '%1' is not supported; use http:// or https://.")
                .arg(url.scheme());
        case QNetworkReply::ProtocolFailure:
            return tr("%1 answered with something that is not valid HTTP.").arg(where);
        case QNetworkReply::OperationCanceledError:
            return tr("The request was cancelled.");
        default:
            return tr("The request to %1 failed: %2.").arg(where, detail);
    }
}

} // namespace Gatehouse
