// A scriptable HTTP/1.1 upstream for the integration tests (see testupstream.h for the behaviours).
#include "testupstream.h"

#include "http/http1parser.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutexLocker>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QThread>
#include <QTimer>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Gatehouse::Test {

struct TestUpstream::State
{
    mutable QMutex mutex;
    QByteArray defaultBehaviour;
    int requests = 0;
    int completed = 0;
    int connections = 0;
    int open = 0;
    qint64 bodyBytes = 0;
    QList<RecordedRequest> records;   // the last kMaxRecords
};

namespace {

constexpr qsizetype kKeptBody = 64 * 1024;
constexpr qsizetype kMaxRecords = 10'000;
constexpr qint64 kPiece = 64 * 1024;
constexpr qint64 kHighWater = 256 * 1024;

struct Behaviour
{
    int status = 200;
    QByteArray body;
    bool hasBody = false;
    qint64 size = -1;
    QByteArray framing = "length";
    FieldPairs trailers;
    FieldPairs headers;
    int delayMs = 0;
    int interim = 0;
    bool keepAlive = true;
    int idleCloseMs = 0;
    qint64 stall = -1;
    QByteArray reset;
    bool closeBefore = false;
    bool garbage = false;
    qint64 hugeHeader = 0;
    bool discard = false;
};

QPair<QByteArray, QByteArray> splitField(const QByteArray &v)
{
    const qsizetype colon = v.indexOf(':');
    return {v.left(colon).trimmed(), colon < 0 ? QByteArray() : v.mid(colon + 1).trimmed()};
}

Behaviour parseBehaviour(const QByteArray &spec)
{
    Behaviour b;
    for (const QByteArray &raw : spec.split(';')) {
        const QByteArray item = raw.trimmed();
        const qsizetype eq = item.indexOf('=');
        const QByteArray key = eq < 0 ? item : item.left(eq);
        const QByteArray value = eq < 0 ? QByteArray() : item.mid(eq + 1);
        if (key == "status")
            b.status = value.toInt();
        else if (key == "body")
            b.body = value, b.hasBody = true;
        else if (key == "size")
            b.size = value.toLongLong();
        else if (key == "framing")
            b.framing = value;
        else if (key == "trailer")
            b.trailers.append(splitField(value));
        else if (key == "header")
            b.headers.append(splitField(value));
        else if (key == "delay")
            b.delayMs = value.toInt();
        else if (key == "interim")
            b.interim = value.toInt();
        else if (key == "keepalive")
            b.keepAlive = value != "0";
        else if (key == "idleclose")
            b.idleCloseMs = value.toInt();
        else if (key == "stall")
            b.stall = value.toLongLong();
        else if (key == "reset")
            b.reset = value;
        else if (key == "close")
            b.closeBefore = value == "before";
        else if (key == "garbage")
            b.garbage = true;
        else if (key == "hugeheader")
            b.hugeHeader = value.toLongLong();
        else if (key == "discard")
            b.discard = true;
    }
    return b;
}

QByteArray generated(qint64 offset, qint64 n)
{
    QByteArray out(n, Qt::Uninitialized);
    for (qint64 i = 0; i < n; ++i)
        out[i] = char('a' + (offset + i) % 26);
    return out;
}

void resetSocket(QTcpSocket *s)
{
    const int fd = int(s->socketDescriptor());
    if (fd >= 0) {
        const linger l{1, 0};   // close() then sends RST instead of FIN
        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    s->abort();
}

QJsonArray fieldsJson(const FieldPairs &fields)
{
    QJsonArray a;
    for (const auto &f : fields)
        a.append(QJsonArray{QString::fromLatin1(f.first), QString::fromLatin1(f.second)});
    return a;
}

class Connection : public QObject
{
public:
    Connection(QTcpSocket *socket, int id, std::shared_ptr<TestUpstream::State> state, QObject *parent)
        : QObject(parent), m_socket(socket), m_id(id), m_state(std::move(state))
    {
        m_socket->setParent(this);
        connect(m_socket, &QTcpSocket::readyRead, this, [this] { processInput(); });
        connect(m_socket, &QTcpSocket::bytesWritten, this, [this] { pump(); });
        connect(m_socket, &QTcpSocket::disconnected, this, [this] { gone(); });
        QMutexLocker lock(&m_state->mutex);
        ++m_state->connections;
        ++m_state->open;
    }

    void gone()
    {
        if (m_gone)
            return;
        m_gone = true;
        {
            QMutexLocker lock(&m_state->mutex);
            --m_state->open;
        }
        deleteLater();
    }

private:
    void processInput()
    {
        while (!m_gone && !m_responding) {
            const Http1Step step = m_parser.next(m_in);
            switch (step.event) {
            case Http1Event::NeedData:
                m_in.remove(0, step.consumed);
                if (m_socket->bytesAvailable() == 0)
                    return;
                m_in += m_socket->readAll();
                continue;
            case Http1Event::Head: {
                const Http1Head &h = m_parser.head();
                m_current = RecordedRequest();
                m_current.connection = m_id;
                m_current.method = h.methodName.toByteArray();
                m_current.target = h.target.toByteArray();
                m_current.chunked = h.framing == Http1Framing::Chunked;
                for (const Http1Field &f : h.headers)
                    m_current.headers.append({f.name.toByteArray(), f.value.toByteArray()});
                QByteArray spec = m_current.header("x-behave");
                QMutexLocker lock(&m_state->mutex);
                if (spec.isNull())
                    spec = m_state->defaultBehaviour;
                m_behaviour = parseBehaviour(spec);
                ++m_state->requests;
                break;
            }
            case Http1Event::Body: {
                m_current.bodyBytes += step.data.size();
                if (!m_behaviour.discard && m_current.body.size() < kKeptBody)
                    m_current.body += step.data.first(qMin(step.data.size(), kKeptBody - m_current.body.size()));
                QMutexLocker lock(&m_state->mutex);
                m_state->bodyBytes += step.data.size();
                break;
            }
            case Http1Event::MessageComplete: {
                for (const Http1Field &f : m_parser.trailers())
                    m_current.trailers.append({f.name.toByteArray(), f.value.toByteArray()});
                {
                    QMutexLocker lock(&m_state->mutex);
                    ++m_state->completed;
                    m_state->records.append(m_current);
                    if (m_state->records.size() > kMaxRecords)
                        m_state->records.removeFirst();
                }
                m_in.remove(0, step.consumed);
                m_responding = true;
                ++m_served;
                if (m_behaviour.delayMs > 0)
                    QTimer::singleShot(m_behaviour.delayMs, this, [this] { respond(); });
                else
                    respond();
                return;
            }
            case Http1Event::Paused:
            case Http1Event::Error:
                m_socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                m_socket->disconnectFromHost();
                m_responding = true;
                return;
            }
            m_in.remove(0, step.consumed);
        }
    }

    void respond()
    {
        if (m_gone)
            return;
        const Behaviour &b = m_behaviour;
        if (b.reset == "before") {
            resetSocket(m_socket);
            gone();
            return;
        }
        if (b.closeBefore) {
            m_socket->disconnectFromHost();
            return;
        }
        if (b.garbage) {
            m_socket->write("HELLO, THIS IS NOT HTTP AT ALL\r\n\r\n");
            m_socket->disconnectFromHost();
            return;
        }
        if (b.interim > 0)
            m_socket->write("HTTP/1.1 " + QByteArray::number(b.interim) + " Early\r\nLink: </style.css>\r\n\r\n");

        QByteArray body;
        m_generate = 0;
        m_generated = 0;
        if (b.size >= 0) {
            m_generate = b.size;
        } else if (b.hasBody) {
            body = b.body;
        } else {
            QJsonObject echo{{QStringLiteral("method"), QString::fromLatin1(m_current.method)},
                             {QStringLiteral("target"), QString::fromLatin1(m_current.target)},
                             {QStringLiteral("headers"), fieldsJson(m_current.headers)},
                             {QStringLiteral("trailers"), fieldsJson(m_current.trailers)},
                             {QStringLiteral("body"), QString::fromLatin1(m_current.body)},
                             {QStringLiteral("bodyBytes"), m_current.bodyBytes},
                             {QStringLiteral("chunked"), m_current.chunked},
                             {QStringLiteral("connection"), m_id}};
            body = QJsonDocument(echo).toJson(QJsonDocument::Compact);
        }
        const bool head = m_current.method == "HEAD";
        const bool bodiless = head || b.status == 204 || b.status == 304;
        const qint64 length = b.size >= 0 ? b.size : body.size();

        QByteArray out = "HTTP/1.1 " + QByteArray::number(b.status) + " Scripted\r\n";
        if (!b.hasBody && b.size < 0)
            out += "Content-Type: application/json\r\n";
        for (const auto &f : b.headers)
            out += f.first + ": " + f.second + "\r\n";
        if (b.hugeHeader > 0)
            out += "X-Huge: " + QByteArray(b.hugeHeader, 'h') + "\r\n";
        m_chunked = false;
        m_closeAfter = !b.keepAlive || b.framing == "close";
        if (b.stall >= 0) {
            out += "Content-Length: " + QByteArray::number(2 * b.stall) + "\r\n\r\n";
            m_socket->write(out);
            m_socket->write(generated(0, b.stall));
            return;   // and nothing more: the gateway has to give up on us
        }
        if (b.status != 204 && b.status != 304 && b.framing == "length")
            out += "Content-Length: " + QByteArray::number(length) + "\r\n";
        else if (!bodiless && b.framing == "chunked")
            out += "Transfer-Encoding: chunked\r\n", m_chunked = true;
        if (m_closeAfter)
            out += "Connection: close\r\n";
        out += "\r\n";
        m_socket->write(out);
        if (b.reset == "head" || (b.reset == "body" && bodiless)) {
            resetAfterFlush();
            return;
        }
        if (bodiless) {
            finishResponse();
            return;
        }
        if (b.reset == "body") {
            m_socket->write(b.size >= 0 ? generated(0, b.size / 2) : body.left(body.size() / 2));
            resetAfterFlush();
            return;
        }
        if (m_generate > 0) {
            m_pumping = true;
            pump();
            return;
        }
        if (m_chunked) {
            // Two chunks, so that clients see chunk boundaries move.
            const qsizetype half = body.size() / 2;
            for (const QByteArray &piece : {body.left(half), body.mid(half)}) {
                if (!piece.isEmpty())
                    m_socket->write(QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n");
            }
        } else {
            m_socket->write(body);
        }
        finishResponse();
    }

    void pump()
    {
        if (!m_pumping || m_gone)
            return;
        while (m_generated < m_generate && m_socket->bytesToWrite() < kHighWater) {
            const qint64 n = qMin(kPiece, m_generate - m_generated);
            const QByteArray piece = generated(m_generated, n);
            if (m_chunked)
                m_socket->write(QByteArray::number(n, 16) + "\r\n" + piece + "\r\n");
            else
                m_socket->write(piece);
            m_generated += n;
        }
        if (m_generated >= m_generate) {
            m_pumping = false;
            finishResponse();
        }
    }

    void finishResponse()
    {
        if (m_chunked) {
            QByteArray last = "0\r\n";
            for (const auto &t : m_behaviour.trailers)
                last += t.first + ": " + t.second + "\r\n";
            m_socket->write(last + "\r\n");
        }
        if (m_closeAfter) {
            m_socket->disconnectFromHost();
            return;
        }
        m_responding = false;
        QTimer::singleShot(0, this, [this] { processInput(); });
        if (m_behaviour.idleCloseMs > 0) {
            QTimer::singleShot(m_behaviour.idleCloseMs, this, [this, served = m_served] {
                if (!m_gone && !m_responding && m_served == served && m_in.isEmpty())
                    m_socket->disconnectFromHost();
            });
        }
    }

    void resetAfterFlush()
    {
        // RST drops unsent bytes: let what was written reach the gateway first.
        m_socket->flush();
        QTimer::singleShot(100, this, [this] {
            if (!m_gone) {
                resetSocket(m_socket);
                gone();
            }
        });
    }

    QTcpSocket *m_socket;
    int m_id;
    std::shared_ptr<TestUpstream::State> m_state;
    Http1Parser m_parser{Http1Role::Request};
    QByteArray m_in;
    RecordedRequest m_current;
    Behaviour m_behaviour;
    bool m_responding = false;
    bool m_gone = false;
    bool m_chunked = false;
    bool m_closeAfter = false;
    bool m_pumping = false;
    int m_served = 0;
    qint64 m_generate = 0;
    qint64 m_generated = 0;
};

class Server : public QTcpServer
{
public:
    Server(std::shared_ptr<TestUpstream::State> state, QObject *parent)
        : QTcpServer(parent), m_state(std::move(state))
    {
    }
    bool setTls(const TestUpstream::Tls &tls)
    {
        m_certificates = QSslCertificate::fromPath(tls.certificateFile, QSsl::Pem);
        QFile f(tls.privateKeyFile);
        if (!f.open(QIODevice::ReadOnly))
            return false;
        const QByteArray pem = f.readAll();
        m_key = QSslKey(pem, QSsl::Rsa, QSsl::Pem);
        if (m_key.isNull())
            m_key = QSslKey(pem, QSsl::Ec, QSsl::Pem);
        m_tls = true;
        return !m_certificates.isEmpty() && !m_key.isNull();
    }

protected:
    void incomingConnection(qintptr fd) override
    {
        QTcpSocket *socket = nullptr;
        if (m_tls) {
            auto *ssl = new QSslSocket;
            ssl->setLocalCertificateChain(m_certificates);
            ssl->setPrivateKey(m_key);
            ssl->setPeerVerifyMode(QSslSocket::VerifyNone);
            socket = ssl;
        } else {
            socket = new QTcpSocket;
        }
        if (!socket->setSocketDescriptor(fd)) {
            delete socket;
            ::close(int(fd));
            return;
        }
        new Connection(socket, ++m_ids, m_state, this);
        if (auto *ssl = qobject_cast<QSslSocket *>(socket)) {
            connect(ssl, &QSslSocket::sslErrors, ssl, [ssl] { ssl->ignoreSslErrors(); });
            ssl->startServerEncryption();
        }
    }

private:
    std::shared_ptr<TestUpstream::State> m_state;
    bool m_tls = false;
    QList<QSslCertificate> m_certificates;
    QSslKey m_key;
    int m_ids = 0;
};

} // namespace

TestUpstream::TestUpstream() : m_state(std::make_shared<State>()) {}

TestUpstream::~TestUpstream()
{
    stop();
}

bool TestUpstream::start(const Tls *tls)
{
    stop();
    m_tls = tls != nullptr;
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("test-upstream"));
    m_server = new QObject;
    m_server->moveToThread(m_thread);
    m_mailbox = ThreadMailbox::create(m_thread);
    m_thread->start();
    bool ok = false;
    m_mailbox.postAndWait([&] {
        auto *server = new Server(m_state, m_server);
        if (tls && !server->setTls(*tls))
            return;
        ok = server->listen(QHostAddress::LocalHost, 0);
        m_port = server->serverPort();
    });
    return ok;
}

void TestUpstream::stop()
{
    if (!m_thread)
        return;
    m_mailbox.stopThread(m_thread, [this] { qDeleteAll(m_server->children()); });
    m_mailbox = {};
    delete m_server;
    delete m_thread;
    m_server = nullptr;
    m_thread = nullptr;
    QMutexLocker lock(&m_state->mutex);
    m_state->open = 0;
}

QString TestUpstream::url(const QString &path) const
{
    return QStringLiteral("%1://127.0.0.1:%2%3")
        .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
        .arg(m_port)
        .arg(path);
}

void TestUpstream::setDefaultBehaviour(const QByteArray &spec)
{
    QMutexLocker lock(&m_state->mutex);
    m_state->defaultBehaviour = spec;
}

int TestUpstream::requestCount() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->requests;
}

int TestUpstream::completedCount() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->completed;
}

int TestUpstream::connectionCount() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->connections;
}

int TestUpstream::openConnections() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->open;
}

qint64 TestUpstream::bodyBytesReceived() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->bodyBytes;
}

QList<RecordedRequest> TestUpstream::requests() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->records;
}

RecordedRequest TestUpstream::lastRequest() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->records.isEmpty() ? RecordedRequest() : m_state->records.last();
}

void TestUpstream::clearRecords()
{
    QMutexLocker lock(&m_state->mutex);
    m_state->records.clear();
    m_state->requests = 0;
    m_state->completed = 0;
    m_state->connections = 0;
    m_state->bodyBytes = 0;
}

bool TestUpstream::waitForRequests(int count, int timeoutMs) const
{
    return waitUntil([&] { return requestCount() >= count; }, timeoutMs);
}

void TestUpstream::sync() const
{
    if (!m_thread)
        return;
    // Turn 1 accepts what is pending, turn 2 reads the new sockets, turn 3 is margin.
    for (int turn = 0; turn < 3; ++turn)
        m_mailbox.postAndWait([] {});
}

BlackholeListener::BlackholeListener() = default;

BlackholeListener::~BlackholeListener()
{
    for (int fd : std::as_const(m_fillers))
        ::close(fd);
    if (m_listenFd >= 0)
        ::close(m_listenFd);
}

bool BlackholeListener::start()
{
    m_listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (m_listenFd < 0 || ::bind(m_listenFd, reinterpret_cast<sockaddr *>(&a), len) != 0
        || ::listen(m_listenFd, 0) != 0
        || ::getsockname(m_listenFd, reinterpret_cast<sockaddr *>(&a), &len) != 0)
        return false;
    m_port = ntohs(a.sin_port);
    // Backlog 0 queues one connection; later SYNs are dropped while the queue is full.
    for (int i = 0; i < 2; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
            return false;
        (void)::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a);
        m_fillers.append(fd);
    }
    spin(100);
    return true;
}

} // namespace Gatehouse::Test
