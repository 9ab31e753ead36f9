// Password hashes: the accepted formats, PBKDF2 and scrypt against Python's hashlib, legacy MGW digests.
#include "security/passwordhash.h"

#include <QTest>

using namespace Gatehouse;

// Expected values computed with Python's hashlib (an implementation we did not write):
// hashlib.pbkdf2_hmac('sha256', b'correct horse battery staple', b'0123456789abcdef', 1000)
static const QString kPbkdf2Vector = QStringLiteral(
    "pbkdf2-sha256$1000$MDEyMzQ1Njc4OWFiY2RlZg$yqSq2SygY1sB4EcH9f2FG0JTMES+wqLsOT5YmiRBplI");
// hashlib.scrypt(b'correct horse battery staple', salt=b'0123456789abcdef', n=1024, r=8, p=1, dklen=32)
static const QString kScryptVector = QStringLiteral(
    "scrypt$ln=10,r=8,p=1$MDEyMzQ1Njc4OWFiY2RlZg$7AnzIswxwEinpwz+ntydndYfVHPvOACmX9Vvo8hO1qM");
// The same with n=2**14, r=8, p=2.
static const QString kScryptVectorP2 = QStringLiteral(
    "scrypt$ln=14,r=8,p=2$MDEyMzQ1Njc4OWFiY2RlZg$g0o3PLVAICD/Fho0LFvV/iB+nHYLdrrYRj/5qrLqqR0");

class tst_PasswordHash : public QObject
{
    Q_OBJECT
private slots:
    void parse_data();
    void parse();
    void verify_data();
    void verify();
    void hashWithSaltMatchesReference();
    void hashPasswordUsesFreshSalts();
    void scryptHashesUseFreshSaltsAndVerify();
};

void tst_PasswordHash::parse_data()
{
    QTest::addColumn<QString>("encoded");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("legacy");
    QTest::addColumn<QString>("errorPart");

    QTest::newRow("a PBKDF2 hash is accepted") << kPbkdf2Vector << true << false << QString();
    QTest::newRow("padding in the base64 parts is optional")
        << QStringLiteral("pbkdf2-sha256$1000$MDEyMzQ1Njc4OWFiY2RlZg==$yqSq2SygY1sB4EcH9f2FG0JTMES+wqLsOT5YmiRBplI=")
        << true << false << QString();
    QTest::newRow("a PBKDF2 hash with three parts is refused")
        << QStringLiteral("pbkdf2-sha256$1000$MDEyMzQ1Njc4OWFiY2RlZg") << false << false
        << QStringLiteral("four parts");
    QTest::newRow("fewer than 1000 iterations are refused")
        << QStringLiteral("pbkdf2-sha256$999$MDEyMzQ1Njc4OWFiY2RlZg$yqSq2SygY1sB4EcH9f2FG0JTMES+wqLsOT5YmiRBplI")
        << false << false << QStringLiteral("between 1000 and 10000000");
    QTest::newRow("a signed iteration count is refused")
        << QStringLiteral("pbkdf2-sha256$+1000$MDEyMzQ1Njc4OWFiY2RlZg$yqSq2SygY1sB4EcH9f2FG0JTMES+wqLsOT5YmiRBplI")
        << false << false << QStringLiteral("iteration count");
    QTest::newRow("a four-byte salt is refused")
        << QStringLiteral("pbkdf2-sha256$1000$c2FsdA$yqSq2SygY1sB4EcH9f2FG0JTMES+wqLsOT5YmiRBplI")
        << false << false << QStringLiteral("8 to 64 bytes");
    QTest::newRow("a salt that is not base64 is refused")
        << QStringLiteral("pbkdf2-sha256$1000$not*base64!!$yqSq2SygY1sB4EcH9f2FG0JTMES+wqLsOT5YmiRBplI")
        << false << false << QStringLiteral("8 to 64 bytes");
    QTest::newRow("a truncated hash part is refused")
        << QStringLiteral("pbkdf2-sha256$1000$MDEyMzQ1Njc4OWFiY2RlZg$yqSq2SygY1sB4EcH") << false << false
        << QStringLiteral("32 bytes");
    QTest::newRow("a scrypt hash is accepted") << kScryptVector << true << false << QString();
    QTest::newRow("a scrypt hash with three parts is refused")
        << QStringLiteral("scrypt$ln=10,r=8,p=1$MDEyMzQ1Njc4OWFiY2RlZg") << false << false << QStringLiteral("four parts");
    QTest::newRow("scrypt parameters in another order are refused")
        << QStringLiteral("scrypt$r=8,ln=10,p=1$MDEyMzQ1Njc4OWFiY2RlZg$7AnzIswxwEinpwz+ntydndYfVHPvOACmX9Vvo8hO1qM")
        << false << false << QStringLiteral("ln=<log2 N>,r=<r>,p=<p>");
    QTest::newRow("a scrypt N below 2^10 is refused")
        << QStringLiteral("scrypt$ln=9,r=8,p=1$MDEyMzQ1Njc4OWFiY2RlZg$7AnzIswxwEinpwz+ntydndYfVHPvOACmX9Vvo8hO1qM")
        << false << false << QStringLiteral("out of bounds");
    QTest::newRow("a scrypt hash needing 1 GiB of memory is refused")
        << QStringLiteral("scrypt$ln=20,r=8,p=1$MDEyMzQ1Njc4OWFiY2RlZg$7AnzIswxwEinpwz+ntydndYfVHPvOACmX9Vvo8hO1qM")
        << false << false << QStringLiteral("256 MiB");
    QTest::newRow("a huge scrypt exponent is refused, not computed")
        << QStringLiteral("scrypt$ln=99,r=99,p=99$MDEyMzQ1Njc4OWFiY2RlZg$7AnzIswxwEinpwz+ntydndYfVHPvOACmX9Vvo8hO1qM")
        << false << false << QStringLiteral("out of bounds");
    QTest::newRow("a truncated scrypt hash part is refused")
        << QStringLiteral("scrypt$ln=10,r=8,p=1$MDEyMzQ1Njc4OWFiY2RlZg$7AnzIswxwEinpwz") << false << false
        << QStringLiteral("32 bytes");
    QTest::newRow("MGW's @sha256:{hex} is accepted as legacy")
        << QStringLiteral("@sha256:{8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918}")
        << true << true << QString();
    QTest::newRow("an @sha256 digest of the wrong length is refused")
        << QStringLiteral("@sha256:{8c6976e5}") << false << false << QStringLiteral("64 hex digits");
    QTest::newRow("plain SHA-1 hex of older MGW projects is accepted as legacy")
        << QStringLiteral("d033e22ae348aeb5660fc2140aec35850c4da997") << true << true << QString();
    QTest::newRow("crypt(3) SHA-512 is refused with a pointer to PBKDF2")
        << QStringLiteral("$6$salt$abcdef") << false << false << QStringLiteral("not supported");
    QTest::newRow("argon2id is refused with a pointer to PBKDF2")
        << QStringLiteral("$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA") << false << false
        << QStringLiteral("not supported");
    QTest::newRow("a plain password is not a hash")
        << QStringLiteral("hunter2") << false << false << QStringLiteral("unknown password hash format");
}

void tst_PasswordHash::parse()
{
    QFETCH(QString, encoded);
    QFETCH(bool, valid);
    QFETCH(bool, legacy);
    QFETCH(QString, errorPart);
    const Result<PasswordHashInfo> info = parsePasswordHash(encoded);
    QCOMPARE(info.ok(), valid);
    if (valid)
        QCOMPARE(info->isLegacy(), legacy);
    else
        QVERIFY2(info.error().message.contains(errorPart), qPrintable(info.error().message));
}

void tst_PasswordHash::verify_data()
{
    QTest::addColumn<QString>("encoded");
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<bool>("matches");

    QTest::newRow("the right password matches a PBKDF2 hash")
        << kPbkdf2Vector << QByteArray("correct horse battery staple") << true;
    QTest::newRow("a password differing in one letter does not match")
        << kPbkdf2Vector << QByteArray("correct horse battery staplE") << false;
    QTest::newRow("an empty password does not match") << kPbkdf2Vector << QByteArray() << false;
    QTest::newRow("the right password matches MGW's @sha256")
        << QStringLiteral("@sha256:{8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918}")
        << QByteArray("admin") << true;
    QTest::newRow("upper-case hex in @sha512 matches too")
        << QStringLiteral("@sha512:{C7AD44CBAD762A5DA0A452F9E854FDC1E0E7A52A38015F23F3EAB1D80B931DD4"
                          "72634DFAC71CD34EBC35D16AB7FB8A90C81F975113D6C7538DC69DD8DE9077EC}")
        << QByteArray("admin") << true;
    QTest::newRow("a wrong password does not match plain SHA-1 hex")
        << QStringLiteral("d033e22ae348aeb5660fc2140aec35850c4da997") << QByteArray("Admin") << false;
    QTest::newRow("the right password matches plain SHA-1 hex")
        << QStringLiteral("d033e22ae348aeb5660fc2140aec35850c4da997") << QByteArray("admin") << true;
    QTest::newRow("the right password matches a scrypt hash from Python")
        << kScryptVector << QByteArray("correct horse battery staple") << true;
    QTest::newRow("the right password matches a scrypt hash with p = 2")
        << kScryptVectorP2 << QByteArray("correct horse battery staple") << true;
    QTest::newRow("a wrong password does not match a scrypt hash")
        << kScryptVector << QByteArray("correct horse battery stapl") << false;
    QTest::newRow("a malformed hash never matches")
        << QStringLiteral("pbkdf2-sha256$1000$$") << QByteArray("") << false;
}

void tst_PasswordHash::verify()
{
    QFETCH(QString, encoded);
    QFETCH(QByteArray, password);
    QFETCH(bool, matches);
    QCOMPARE(verifyPassword(password, encoded), matches);
}

void tst_PasswordHash::hashWithSaltMatchesReference()
{
    QCOMPARE(hashPasswordWithSalt("correct horse battery staple", "0123456789abcdef", 1000), kPbkdf2Vector);
}

void tst_PasswordHash::hashPasswordUsesFreshSalts()
{
    const QString a = hashPassword("s3cret", 1000);
    const QString b = hashPassword("s3cret", 1000);
    QVERIFY(a.startsWith(QStringLiteral("pbkdf2-sha256$1000$")));
    QVERIFY(a != b);
    QVERIFY(verifyPassword("s3cret", a));
    QVERIFY(verifyPassword("s3cret", b));
    QVERIFY(parsePasswordHash(a).ok());
    QVERIFY(parsePasswordHash(hashPassword("x")).value().iterations == kDefaultPbkdf2Iterations);
}

void tst_PasswordHash::scryptHashesUseFreshSaltsAndVerify()
{
    QCOMPARE(hashPasswordScryptWithSalt("correct horse battery staple", "0123456789abcdef", 10, 8, 1), kScryptVector);
    const QString a = hashPasswordScrypt("s3cret", 12, 8, 1);
    const QString b = hashPasswordScrypt("s3cret", 12, 8, 1);
    QVERIFY2(a.startsWith(QStringLiteral("scrypt$ln=12,r=8,p=1$")), qPrintable(a));
    QVERIFY(a != b);
    QVERIFY(verifyPassword("s3cret", a));
    QVERIFY(!verifyPassword("s3creT", b));
    QCOMPARE(parsePasswordHash(a).value().scheme, PasswordHashScheme::Scrypt);
    QVERIFY(hashPasswordScrypt("s3cret", 21, 8, 1).isEmpty());   // out of bounds: nothing made
}

QTEST_GUILESS_MAIN(tst_PasswordHash)
#include "tst_passwordhash.moc"
