// An upstream endpoint prepared at compile time, so the request path builds no strings for it.
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QString>
#include <QUrl>

namespace Gatehouse {

// How the gateway speaks to an endpoint. HTTP/2 is h2c by prior knowledge for http:// and h2c://
// URLs and h2 (TLS, ALPN "h2") for https:// ones; gRPC routes always use it, REST routes when
// their endpoint says so (EndpointSet::http2).
enum class UpstreamProtocol { Http1 = 1, Http2 };

struct UpstreamEndpoint
{
    QString host;
    QHostAddress address;    // the host when it is a literal address (without a scope): connected
                             // to without a name lookup (TcpConnect); null for a name
    quint16 port = 80;
    bool tls = false;
    QByteArray pathPrefix;   // the endpoint URL's path without a trailing '/', percent-encoded
    QString key;             // "http://host:port": what makes two endpoints the same one
    int id = -1;             // the key as a small number (idForKey): pool and health index
    QByteArray hostHeader;   // the Host field for requests to it: "host", "host:port", "[v6]:port"
                             // (HTTP/2: the :authority)
    UpstreamProtocol protocol = UpstreamProtocol::Http1;

    static UpstreamEndpoint fromUrl(const QUrl &url, UpstreamProtocol protocol = UpstreamProtocol::Http1)
    {
        UpstreamEndpoint e;
        e.protocol = url.scheme() == u"h2c" ? UpstreamProtocol::Http2 : protocol;
        e.tls = url.scheme() == u"https";
        e.host = url.host();
        if (QHostAddress literal; literal.setAddress(e.host) && literal.scopeId().isEmpty())
            e.address = literal;
        e.port = quint16(url.port(e.tls ? 443 : 80));
        e.pathPrefix = url.path(QUrl::FullyEncoded).toUtf8();
        if (e.pathPrefix.endsWith('/'))
            e.pathPrefix.chop(1);
        e.key = (e.tls ? QStringLiteral("https://") : QStringLiteral("http://")) + e.host + u':'
                + QString::number(e.port);
        e.id = idForKey(e.key);
        e.hostHeader = url.host(QUrl::FullyEncoded).toUtf8();
        if (e.hostHeader.contains(':'))
            e.hostHeader = '[' + e.hostHeader + ']';   // an IPv6 literal
        if (e.port != (e.tls ? 443 : 80))
            e.hostHeader += ':' + QByteArray::number(e.port);
        return e;
    }

    // The same number for the same key in every config the process compiles, so pools and health
    // survive reloads; numbers are dense from 0. Thread-safe; not for the data path (a lock).
    static int idForKey(const QString &key);
};

using UpstreamTarget = UpstreamEndpoint;

// A REST route's endpoints are all HTTP/2 or all HTTP/1.1 (the config refuses a mix).
inline bool speaksHttp2(const QList<UpstreamEndpoint> &endpoints)
{
    return !endpoints.isEmpty() && endpoints.constFirst().protocol == UpstreamProtocol::Http2;
}

} // namespace Gatehouse
