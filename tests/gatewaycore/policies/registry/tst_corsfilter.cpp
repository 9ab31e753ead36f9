// CORS through compiled projects: the preflight route the compiler adds, preflights answered or
// refused, actual requests' headers (also on the gateway's own answers), MGW's x-wso2-cors keys.
#include "../policyfixture.h"

#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

QByteArray field(const RequestContext &ctx, QByteArrayView name)
{
    for (const OwnedField &f : ctx.responseHeaders) {
        if (httpEqualsIgnoreCase(f.name, name))
            return f.value;
    }
    return {};
}

const QByteArray kCors = "x-wso2-cors:\n"
                         "  accessControlAllowOrigins: ['https://app.example']\n"
                         "  accessControlAllowCredentials: true\n"
                         "  accessControlAllowHeaders: [authorization, content-type]\n"
                         "  accessControlAllowMethods: [get, post]\n"
                         "  accessControlExposeHeaders: [X-Total]\n"
                         "  accessControlMaxAge: 600\n";

} // namespace

class tst_CorsFilter : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void preflightIsAnsweredWithoutAnOptionsOperation();
    void preflightRefusals_data();
    void preflightRefusals();
    void plainOptionsGetsAllow();
    void actualRequestsGetHeaders();
    void anyOriginWithoutCredentialsIsAStar();

private:
    PolicyProject m_project;
};

void tst_CorsFilter::initTestCase()
{
    QVERIFY(m_project.write(QStringLiteral("apis/zoo.yaml"), zooApi("x-gatehouse-basePath: /zoo\n" + kCors)));
    QVERIFY2(m_project.build(), qPrintable(m_project.errors()));
}

void tst_CorsFilter::preflightIsAnsweredWithoutAnOptionsOperation()
{
    Exchange e(*m_project.config, "OPTIONS", "/zoo/pets/5",
               {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "POST"},
                {"Access-Control-Request-Headers", "Content-Type, Authorization"}});
    QVERIFY(e.routed);
    QVERIFY(e.ctx.route->corsPreflight);
    QCOMPARE(e.status, FilterStatus::Respond);
    QCOMPARE(e.ctx.error.status, 204);
    QCOMPARE(field(e.ctx, "Access-Control-Allow-Origin"), QByteArray("https://app.example"));
    QCOMPARE(field(e.ctx, "Access-Control-Allow-Methods"), QByteArray("GET, POST"));
    QCOMPARE(field(e.ctx, "Access-Control-Allow-Headers"), QByteArray("authorization, content-type"));
    QCOMPARE(field(e.ctx, "Access-Control-Allow-Credentials"), QByteArray("true"));
    QCOMPARE(field(e.ctx, "Access-Control-Max-Age"), QByteArray("600"));
}

void tst_CorsFilter::preflightRefusals_data()
{
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("headers");
    QTest::newRow("an origin not listed") << QByteArray("https://evil.example") << QByteArray("GET") << QByteArray();
    QTest::newRow("a method not listed") << QByteArray("https://app.example") << QByteArray("DELETE") << QByteArray();
    QTest::newRow("a header not listed") << QByteArray("https://app.example") << QByteArray("GET") << QByteArray("x-debug");
}

void tst_CorsFilter::preflightRefusals()
{
    QFETCH(QByteArray, origin);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, headers);
    QList<std::pair<QByteArray, QByteArray>> fields{{"Origin", origin}, {"Access-Control-Request-Method", method}};
    if (!headers.isEmpty())
        fields.append({"Access-Control-Request-Headers", headers});
    Exchange e(*m_project.config, "OPTIONS", "/zoo/things", fields);
    QCOMPARE(e.status, FilterStatus::Respond);
    QCOMPARE(e.ctx.error.status, 403);
    QVERIFY(field(e.ctx, "Access-Control-Allow-Origin").isNull());
}

void tst_CorsFilter::plainOptionsGetsAllow()
{
    Exchange e(*m_project.config, "OPTIONS", "/zoo/pets/5");
    QCOMPARE(e.status, FilterStatus::Respond);
    QCOMPARE(e.ctx.error.status, 204);
    QCOMPARE(field(e.ctx, "Allow"), QByteArray("GET, HEAD, OPTIONS, POST"));
}

void tst_CorsFilter::actualRequestsGetHeaders()
{
    Exchange e(*m_project.config, "GET", "/zoo/things", {{"Origin", "https://app.example"}});
    QCOMPARE(e.status, FilterStatus::Continue);
    QCOMPARE(field(e.ctx, "Access-Control-Allow-Origin"), QByteArray("https://app.example"));
    QCOMPARE(field(e.ctx, "Access-Control-Expose-Headers"), QByteArray("X-Total"));
    QCOMPARE(field(e.ctx, "Vary"), QByteArray("Origin"));
    QVERIFY(RequestContext::namedIn(e.ctx.removeResponseHeaders, "access-control-allow-origin"));   // the upstream's own go
    Exchange other(*m_project.config, "GET", "/zoo/things", {{"Origin", "https://evil.example"}});
    QCOMPARE(other.status, FilterStatus::Continue);
    QVERIFY(other.ctx.responseHeaders.isEmpty());
}

void tst_CorsFilter::anyOriginWithoutCredentialsIsAStar()
{
    PolicyProject p;
    QVERIFY(p.write(QStringLiteral("apis/zoo.yaml"), zooApi("x-gatehouse-basePath: /zoo\nx-gatehouse-cors: {}\n")));
    QVERIFY2(p.build(), qPrintable(p.errors()));
    Exchange e(*p.config, "OPTIONS", "/zoo/things", {{"Origin", "https://x.example"}, {"Access-Control-Request-Method", "GET"},
                                                     {"Access-Control-Request-Headers", "x-anything"}});
    QCOMPARE(e.ctx.error.status, 204);
    QCOMPARE(field(e.ctx, "Access-Control-Allow-Origin"), QByteArray("*"));
    QCOMPARE(field(e.ctx, "Access-Control-Allow-Methods"), QByteArray("GET, HEAD, OPTIONS"));
    QCOMPARE(field(e.ctx, "Access-Control-Allow-Headers"), QByteArray("x-anything"));   // reflected
}

QTEST_GUILESS_MAIN(tst_CorsFilter)
#include "tst_corsfilter.moc"
