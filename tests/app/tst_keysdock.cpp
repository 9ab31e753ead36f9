// The Keys and Tokens dock: a key issued in the dock opens, through the try-it console and the
// embedded gateway, the door an unauthenticated call found shut, and revoking it shuts it again;
// the try-it console's auth helper offers the valid issued keys; revocation in the list, the inspector's verdicts, custom claims, the JWKS, and a ledger file
// that is not ours.
#include "testupstream.h"

#include "authhelper.h"
#include "gatewaycontroller.h"
#include "issuedkeys.h"
#include "keysdock.h"
#include "mainwindow.h"
#include "projecttokens.h"
#include "tryitconsole.h"

#include "project/project.h"
#include "security/joseencoding.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

class tst_KeysDock : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void issuedKeyTurnsA401IntoA200ThroughTheTryItConsole();
    void theTryItConsoleOffersTheValidIssuedKeys();
    void aKeyIssuedOnTheFirstRunIsAcceptedByTheGatewayStartedWithIt();
    void revokedKeyIsMarkedAndReportedRevoked();
    void inspectorVerdicts_data();
    void inspectorVerdicts();
    void customClaimsAreCheckedBeforeSigning_data();
    void customClaimsAreCheckedBeforeSigning();
    void jwksShowsThePublicKeyOnly();
    void ledgerThatIsNotOursIsReportedAndKept();
    void issuedKeysModelPassesTheModelTester();

private:
    void write(const QString &relative, const QByteArray &text);
    // A dock over the test project, its issuer ready.
    bool prepare(ProjectTokens &tokens);

    QTemporaryDir m_dir;
    TestUpstream m_upstream;
    Project m_project;
};

void tst_KeysDock::write(const QString &relative, const QByteArray &text)
{
    const QString path = m_dir.filePath(relative);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

void tst_KeysDock::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    QVERIFY(m_upstream.listen(QHostAddress::LocalHost));
    write(QStringLiteral("gatehouse.yaml"), R"(version: 1
listeners: {http: {port: 0}, https: {enabled: false}, admin: {enabled: false}}
security:
  apiKeys: {issuer: 'https://gatehouse.test/apikey', defaultTtl: 1h}
  issuers:
    - {name: gatehouse, issuer: 'https://gatehouse.test/apikey', jwksFile: keys/jwks.json, claims: {scopes: scope}}
)");
    write(QStringLiteral("apis/pets.yaml"), QByteArray(R"(openapi: 3.0.3
info: {title: Pets, version: v1}
servers: [{url: 'http://127.0.0.1:PORT/api'}]
components:
  securitySchemes:
    oauth2:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: 'https://x/token', scopes: {'pets:read': read, 'pets:write': write}}}
    key: {type: apiKey, in: header, name: X-Pet-Key}
security: [{oauth2: ['pets:read']}]
paths:
  /pets:
    get: {responses: {'200': {description: ok}}}
)").replace("PORT", QByteArray::number(m_upstream.serverPort())));
    Diagnostics diagnostics;
    m_project = Project::load(m_dir.path(), diagnostics);
    QVERIFY2(!diagnostics.hasErrors(), qPrintable(diagnostics.toString()));
}

bool tst_KeysDock::prepare(ProjectTokens &tokens)
{
    QSignalSpy ready(&tokens, &ProjectTokens::ready);
    tokens.setProject(m_project);
    return tokens.isReady() || ready.wait(30000);
}

void tst_KeysDock::issuedKeyTurnsA401IntoA200ThroughTheTryItConsole()
{
    MainWindow window;
    QVERIFY(window.openProject(m_dir.path()));
    QTRY_VERIFY_WITH_TIMEOUT(window.tokens()->isReady(), 30000);
    QVERIFY(window.gateway()->start());
    TryItConsole *console = window.tryIt();
    QVERIFY(console->selectOperation(QStringLiteral("apis/pets.yaml"), QStringLiteral("GET"), QStringLiteral("/pets")));

    auto send = [console]() -> int {
        QSignalSpy shown(console, &TryItConsole::responseShown);
        console->send();
        if (!shown.wait(15000))
            return -1;
        return shown.first().first().value<TryItResponse>().status;
    };
    QCOMPARE(send(), 401);

    KeysDock *dock = window.keys();
    // The scopes the API declares are offered; pick the one GET /pets needs.
    QListWidget *scopes = dock->scopeList();
    const auto read = scopes->findItems(QStringLiteral("pets:read"), Qt::MatchExactly);
    QCOMPARE(read.size(), 1);
    QVERIFY(!scopes->findItems(QStringLiteral("pets:write"), Qt::MatchExactly).isEmpty());
    read.first()->setCheckState(Qt::Checked);
    dock->subjectEdit()->setText(QStringLiteral("mobile-app"));
    QTest::mouseClick(dock->issueButton(), Qt::LeftButton);
    QVERIFY2(!dock->tokenView()->toPlainText().isEmpty(), qPrintable(dock->statusLabel()->text()));
    QVERIFY(dock->useButton()->isEnabled());
    QTest::mouseClick(dock->useButton(), Qt::LeftButton);
    QCOMPARE(console->authHelper()->settings().kind, AuthKind::Bearer);
    QCOMPARE(console->authHelper()->settings().token, dock->tokenView()->toPlainText());
    const int before = m_upstream.requests;
    QCOMPARE(send(), 200);
    QCOMPARE(m_upstream.requests, before + 1);

    // The key is listed: subject, scope, active.
    QVERIFY(dock->keysModel()->rowCount() >= 1);   // newest first
    QCOMPARE(dock->keysModel()->index(0, IssuedKeysModel::Subject).data().toString(), QStringLiteral("mobile-app"));
    QCOMPARE(dock->keysModel()->index(0, IssuedKeysModel::Scopes).data().toString(), QStringLiteral("pets:read"));
    QCOMPARE(dock->keysModel()->index(0, IssuedKeysModel::State).data().toString(), QStringLiteral("active"));

    // Revoked in the dock, the key is refused as a bearer token too (within a second).
    dock->keysView()->selectRow(0);
    QTest::mouseClick(dock->revokeButton(), Qt::LeftButton);
    QCOMPARE(dock->keysModel()->index(0, IssuedKeysModel::State).data().toString(), QStringLiteral("revoked"));
    QTRY_COMPARE_WITH_TIMEOUT(send(), 401, 5000);

    // "Send as" the API-key header names the project's apiKey scheme's header.
    dock->sendAsBox()->setCurrentIndex(1);
    const AuthSettings asKey = dock->authFor("abc");
    QCOMPARE(asKey.kind, AuthKind::ApiKeyHeader);
    QCOMPARE(asKey.apiKeyHeader, QStringLiteral("X-Pet-Key"));
    window.gateway()->engine()->stopAndWait();
}

void tst_KeysDock::theTryItConsoleOffersTheValidIssuedKeys()
{
    MainWindow window;
    QVERIFY(window.openProject(m_dir.path()));
    QTRY_VERIFY_WITH_TIMEOUT(window.tokens()->isReady(), 30000);
    ProjectTokens *tokens = window.tokens();
    ApiKeyIssuer::Request request;
    request.subject = QStringLiteral("picked");
    request.scopes = {QStringLiteral("pets:read")};
    const Result<IssuedKey> kept = tokens->issue(request);
    QVERIFY(kept);
    request.subject = QStringLiteral("revoked-before-use");
    const Result<IssuedKey> revoked = tokens->issue(request);
    QVERIFY(revoked);
    QVERIFY(tokens->revoke(revoked->jti));

    AuthHelper *auth = window.tryIt()->authHelper();
    QComboBox *box = auth->issuedBox();
    const QString token = QString::fromLatin1(kept->token);
    const int picked = box->findData(token);
    QVERIFY(picked > 0);   // below the prompt
    QCOMPARE(box->findData(QString::fromLatin1(revoked->token)), -1);
    QVERIFY2(box->itemText(picked).startsWith(QStringLiteral("picked · pets:read · expires in ")),
             qPrintable(box->itemText(picked)));

    // Picked with no credentials chosen: it is sent as a Bearer token, and the box names it.
    auth->kindBox()->setCurrentIndex(auth->kindBox()->findData(int(AuthKind::None)));
    emit box->activated(picked);
    QCOMPARE(auth->settings().kind, AuthKind::Bearer);
    QCOMPARE(auth->settings().token, token);
    QCOMPARE(box->currentIndex(), picked);
    // For the API key header it fills the key; a key typed by hand is no issued one.
    auth->kindBox()->setCurrentIndex(auth->kindBox()->findData(int(AuthKind::ApiKeyHeader)));
    QCOMPARE(box->currentIndex(), 0);
    emit box->activated(picked);
    QCOMPARE(auth->settings().kind, AuthKind::ApiKeyHeader);
    QCOMPARE(auth->settings().apiKey, token);
    AuthSettings typed = auth->settings();
    typed.apiKey = QStringLiteral("typed-by-hand");
    auth->setSettings(typed);
    QCOMPARE(box->currentIndex(), 0);
}

void tst_KeysDock::aKeyIssuedOnTheFirstRunIsAcceptedByTheGatewayStartedWithIt()
{
    // A fresh project has no key pair yet: the Keys dock opens the issuer off the UI thread while
    // the gateway, started at once (gatehouse --start), opens it too. One key pair must come of
    // it, not one each (the dock's keys were refused as signed by an unknown key).
    QTemporaryDir fresh;
    for (const QString &file : {QStringLiteral("gatehouse.yaml"), QStringLiteral("apis/pets.yaml")}) {
        QDir().mkpath(QFileInfo(fresh.filePath(file)).absolutePath());
        QVERIFY(QFile::copy(m_dir.filePath(file), fresh.filePath(file)));
    }
    MainWindow window;
    QVERIFY(window.openProject(fresh.path()));
    QVERIFY(window.gateway()->start());
    QTRY_VERIFY_WITH_TIMEOUT(window.tokens()->isReady(), 30000);
    ApiKeyIssuer::Request request;
    request.subject = QStringLiteral("first-run");
    request.scopes = {QStringLiteral("pets:read")};
    const Result<IssuedKey> key = window.tokens()->issue(request);
    QVERIFY(key);

    TryItConsole *console = window.tryIt();
    QVERIFY(console->selectOperation(QStringLiteral("apis/pets.yaml"), QStringLiteral("GET"), QStringLiteral("/pets")));
    AuthSettings auth;
    auth.kind = AuthKind::Bearer;
    auth.token = QString::fromLatin1(key->token);
    console->authHelper()->setSettings(auth);
    QSignalSpy shown(console, &TryItConsole::responseShown);
    console->send();
    QVERIFY(shown.wait(15000));
    const TryItResponse response = shown.first().first().value<TryItResponse>();
    QVERIFY2(response.status == 200, qPrintable(QString::number(response.status) + u' ' + QString::fromUtf8(response.body)));
    window.gateway()->engine()->stopAndWait();
}

void tst_KeysDock::revokedKeyIsMarkedAndReportedRevoked()
{
    ProjectTokens tokens;
    QVERIFY(prepare(tokens));
    KeysDock dock(&tokens);
    dock.subjectEdit()->setText(QStringLiteral("to-revoke"));
    QVERIFY2(dock.issueFromForm(), qPrintable(dock.statusLabel()->text()));
    const QString token = dock.tokenView()->toPlainText();
    QCOMPARE(tokens.inspect(token.toLatin1()).verdict, TokenInspection::Verdict::Valid);

    QTableView *view = dock.keysView();
    view->selectRow(0);   // newest first
    QCOMPARE(view->currentIndex().data(IssuedKeysModel::TokenRole).toByteArray(), token.toLatin1());
    QVERIFY(dock.revokeButton()->isEnabled());
    QTest::mouseClick(dock.revokeButton(), Qt::LeftButton);
    QCOMPARE(dock.keysModel()->index(0, IssuedKeysModel::State).data().toString(), QStringLiteral("revoked"));
    // The revocation list re-reads its file at most once a second.
    QTRY_COMPARE_WITH_TIMEOUT(tokens.inspect(token.toLatin1()).verdict, TokenInspection::Verdict::Revoked, 5000);
}

void tst_KeysDock::inspectorVerdicts_data()
{
    QTest::addColumn<QString>("edit");
    QTest::addColumn<int>("verdict");
    QTest::addColumn<QString>("reasonContains");
    using V = TokenInspection::Verdict;
    QTest::newRow("a key the dock issued is valid") << "none" << int(V::Valid) << "issuer 'gatehouse'";
    QTest::newRow("a key pasted with its Bearer prefix is valid") << "bearer" << int(V::Valid) << "Valid";
    QTest::newRow("a key whose payload was changed does not verify") << "payload" << int(V::Invalid) << "signature";
    QTest::newRow("a key cut short is not a JWS") << "truncate" << int(V::Malformed) << "Not a valid JWS";
    QTest::newRow("garbage is not a JWS") << "garbage" << int(V::Malformed) << "Not a valid JWS";
    QTest::newRow("an unsigned token (alg none) is refused") << "none-alg" << int(V::Malformed) << "Not a valid JWS";
    QTest::newRow("an empty paste asks for a token") << "empty" << int(V::Malformed) << "Paste a JWT";
    QTest::newRow("a megabyte of dots is refused quickly") << "huge" << int(V::Malformed) << "Not a valid JWS";
}

void tst_KeysDock::inspectorVerdicts()
{
    QFETCH(QString, edit);
    QFETCH(int, verdict);
    QFETCH(QString, reasonContains);
    ProjectTokens tokens;
    QVERIFY(prepare(tokens));
    ApiKeyIssuer::Request request;
    request.subject = QStringLiteral("inspector");
    request.scopes = {QStringLiteral("pets:read")};
    const auto key = tokens.issue(request);
    QVERIFY(key);
    QByteArray token = key->token;
    const QList<QByteArray> parts = token.split('.');
    if (edit == u"bearer") {
        token = "  Bearer " + token + "\n";
    } else if (edit == u"payload") {
        QJsonObject claims = QJsonDocument::fromJson(*base64UrlDecode(parts.at(1))).object();
        claims.insert(QStringLiteral("scope"), QStringLiteral("pets:read pets:write"));
        token = parts.at(0) + '.' + base64UrlEncode(QJsonDocument(claims).toJson(QJsonDocument::Compact)) + '.'
                + parts.at(2);
    } else if (edit == u"truncate") {
        token = parts.at(0) + '.' + parts.at(1);
    } else if (edit == u"garbage") {
        token = "\x01\xff not a token at all";
    } else if (edit == u"none-alg") {
        token = base64UrlEncode(R"({"alg":"none"})") + '.' + parts.at(1) + '.';
    } else if (edit == u"empty") {
        token = "   ";
    } else if (edit == u"huge") {
        token = QByteArray(1024 * 1024, '.');
    }
    KeysDock dock(&tokens);
    dock.inspectText(QString::fromLatin1(token));
    const TokenInspection result = tokens.inspect(token);
    QCOMPARE(int(result.verdict), verdict);
    QVERIFY2(result.reason.contains(reasonContains), qPrintable(result.reason));
    QCOMPARE(dock.verdictLabel()->text(), result.reason);
    if (result.verdict == TokenInspection::Verdict::Valid) {
        QCOMPARE(result.claims.value(QStringLiteral("sub")).toString(), QStringLiteral("inspector"));
        QVERIFY(dock.claimsView()->toPlainText().contains(QStringLiteral("\"scope\": \"pets:read\"")));
        QVERIFY(dock.headerView()->toPlainText().contains(QStringLiteral("RS256")));
    }
}

void tst_KeysDock::customClaimsAreCheckedBeforeSigning_data()
{
    QTest::addColumn<QString>("claims");
    QTest::addColumn<bool>("issued");
    QTest::addColumn<QString>("message");
    QTest::newRow("an object of custom claims is signed into the key") << R"({"tier": "Gold"})" << true << "Issued key";
    QTest::newRow("text that is not JSON is refused at its position") << R"({"tier": )" << false << "Claims:";
    QTest::newRow("a JSON array is not a set of claims") << R"(["tier"])" << false << "JSON object";
    QTest::newRow("the issuer's own claims cannot be overridden") << R"({"iss": "https://evil"})" << false
                                                                  << "set by the issuer itself";
}

void tst_KeysDock::customClaimsAreCheckedBeforeSigning()
{
    QFETCH(QString, claims);
    QFETCH(bool, issued);
    QFETCH(QString, message);
    ProjectTokens tokens;
    QVERIFY(prepare(tokens));
    KeysDock dock(&tokens);
    dock.subjectEdit()->setText(QStringLiteral("claims"));
    dock.claimsEdit()->setPlainText(claims);
    QCOMPARE(dock.issueFromForm(), issued);
    QVERIFY2(dock.statusLabel()->text().contains(message), qPrintable(dock.statusLabel()->text()));
    if (issued) {
        const TokenInspection result = tokens.inspect(dock.tokenView()->toPlainText().toLatin1());
        QCOMPARE(result.claims.value(QStringLiteral("tier")).toString(), QStringLiteral("Gold"));
    }
    dock.subjectEdit()->clear();
    QVERIFY(!dock.issueFromForm());
    QVERIFY(dock.statusLabel()->text().contains(QStringLiteral("subject")));
}

void tst_KeysDock::jwksShowsThePublicKeyOnly()
{
    ProjectTokens tokens;
    QVERIFY(prepare(tokens));
    KeysDock dock(&tokens);
    const QJsonObject jwks = QJsonDocument::fromJson(dock.jwksView()->toPlainText().toUtf8()).object();
    const QJsonObject key = jwks.value(QStringLiteral("keys")).toArray().first().toObject();
    QCOMPARE(key.value(QStringLiteral("kty")).toString(), QStringLiteral("RSA"));
    QVERIFY(key.contains(QStringLiteral("n")));
    QVERIFY(!key.contains(QStringLiteral("d")));   // never the private exponent
}

void tst_KeysDock::ledgerThatIsNotOursIsReportedAndKept()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("keys/issued-keys.json"));
    QDir().mkpath(QFileInfo(path).absolutePath());
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not json, somebody else's notes");
    }
    IssuedKeyLedger ledger(path);
    QString error;
    QVERIFY(ledger.load(&error).isEmpty());
    QVERIFY2(error.contains(QStringLiteral("not a JSON array")), qPrintable(error));
    IssuedKey key{QStringLiteral("id1"), QStringLiteral("s"), {}, {}, 1, 2, "a.b.c"};
    QVERIFY(!ledger.append(key, &error));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("not json, somebody else's notes"));   // untouched

    // Entries without an id or token are skipped; the rest load.
    QFile::remove(path);
    {
        QFile w(path);
        QVERIFY(w.open(QIODevice::WriteOnly));
        w.write(R"([{"jti": "ok", "token": "a.b.c", "sub": "x", "scopes": ["r", 3]}, {"sub": "no id"}, 7])");
    }
    const QList<IssuedKey> keys = ledger.load(&error);
    QCOMPARE(keys.size(), 1);
    QCOMPARE(keys.first().scopes, QStringList{QStringLiteral("r")});
    QVERIFY(ledger.append(key));
    QCOMPARE(ledger.load().size(), 2);
    QCOMPARE(QFileInfo(path).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup), QFileDevice::Permissions());
}

void tst_KeysDock::issuedKeysModelPassesTheModelTester()
{
    IssuedKeysModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setNow(1000);
    model.setKeys({{QStringLiteral("a"), QStringLiteral("alice"), {QStringLiteral("r")}, {}, 0, 5000, "t1"},
                   {QStringLiteral("b"), QStringLiteral("bob"), {}, {QStringLiteral("Pets")}, 0, 500, "t2"}},
                  {QStringLiteral("a")});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, IssuedKeysModel::Subject).data().toString(), QStringLiteral("bob"));   // newest first
    QCOMPARE(model.index(0, IssuedKeysModel::State).data().toString(), QStringLiteral("expired"));
    QCOMPARE(model.index(0, IssuedKeysModel::Apis).data().toString(), QStringLiteral("Pets"));
    QCOMPARE(model.index(1, IssuedKeysModel::State).data().toString(), QStringLiteral("revoked"));
    QCOMPARE(model.index(1, IssuedKeysModel::Expires).data().toString(), QStringLiteral("in 66 min"));
    model.setRevoked({});
    QCOMPARE(model.index(1, IssuedKeysModel::State).data().toString(), QStringLiteral("active"));
}

QTEST_MAIN(tst_KeysDock)
#include "tst_keysdock.moc"
