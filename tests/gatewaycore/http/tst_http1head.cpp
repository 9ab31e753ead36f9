// The small helpers of http1head.h that policies share: OWS trimming and case-insensitive compares.
#include "http/http1head.h"

#include <QTest>

using namespace Gatehouse;

class tst_Http1Head : public QObject
{
    Q_OBJECT
private slots:
    void trimsOptionalWhitespace_data();
    void trimsOptionalWhitespace();
    void trimmedViewPointsIntoTheInput();
    void comparesIgnoringAsciiCase_data();
    void comparesIgnoringAsciiCase();
    void foldsOnlyAsciiLettersForEveryBytePairAndPosition_data();
    void foldsOnlyAsciiLettersForEveryBytePairAndPosition();
};

void tst_Http1Head::trimsOptionalWhitespace_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("an empty value stays empty") << QByteArray() << QByteArray();
    QTest::newRow("a value of only spaces and tabs becomes empty") << QByteArray(" \t \t") << QByteArray();
    QTest::newRow("a value without whitespace is unchanged") << QByteArray("no-store") << QByteArray("no-store");
    QTest::newRow("leading spaces go") << QByteArray("   max-age=60") << QByteArray("max-age=60");
    QTest::newRow("trailing tabs go") << QByteArray("gzip\t\t") << QByteArray("gzip");
    QTest::newRow("mixed spaces and tabs at both ends go")
        << QByteArray("\t  text/plain; q=0.5 \t ") << QByteArray("text/plain; q=0.5");
    QTest::newRow("whitespace inside the value stays") << QByteArray(" a \t b ") << QByteArray("a \t b");
    QTest::newRow("CR and LF are not optional whitespace")
        << QByteArray("\r\n value \r\n") << QByteArray("\r\n value \r\n");
    QTest::newRow("a NUL at an end is kept") << QByteArray(" x\0 ", 4) << QByteArray("x\0", 2);
    QTest::newRow("a non-breaking space is not whitespace")
        << QByteArray("\xa0x\xa0") << QByteArray("\xa0x\xa0");
    QTest::newRow("a single character survives") << QByteArray("\t*\t") << QByteArray("*");
}

void tst_Http1Head::trimsOptionalWhitespace()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    const QByteArrayView trimmed = httpTrimOws(input);
    QCOMPARE(trimmed.toByteArray(), expected);
    QCOMPARE(httpTrimOws(trimmed).toByteArray(), expected);   // idempotent
}

void tst_Http1Head::trimmedViewPointsIntoTheInput()
{
    // A view, not a copy: callers slice the same buffer further and keep pointers into it.
    const QByteArray input = "  token  ";
    const QByteArrayView trimmed = httpTrimOws(input);
    QCOMPARE(trimmed.data(), input.constData() + 2);
    QCOMPARE(trimmed.size(), qsizetype(5));
}

void tst_Http1Head::comparesIgnoringAsciiCase_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("equal");

    QTest::newRow("identical tokens are equal") << QByteArray("no-cache") << QByteArray("no-cache") << true;
    QTest::newRow("tokens differing only in case are equal")
        << QByteArray("Application/OpenMetrics-Text") << QByteArray("application/openmetrics-text") << true;
    QTest::newRow("a prefix is not equal") << QByteArray("no-cache") << QByteArray("no-cach") << false;
    QTest::newRow("different letters are not equal") << QByteArray("public") << QByteArray("publik") << false;
    QTest::newRow("two empty views are equal") << QByteArray() << QByteArray() << true;
    QTest::newRow("CR does not fold to a dash") << QByteArray("no\rstore") << QByteArray("no-store") << false;
    QTest::newRow("Latin-1 letters are not folded") << QByteArray("\xc0") << QByteArray("\xe0") << false;
    QTest::newRow("a field name of 13 bytes matches its lowercase spelling")
        << QByteArray("Authorization") << QByteArray("authorization") << true;
    QTest::newRow("a difference in the overlapping last word counts")
        << QByteArray("Authorizatiom") << QByteArray("authorization") << false;
    QTest::newRow("a difference in the first word of a long name counts")
        << QByteArray("Buthorization") << QByteArray("authorization") << false;
    QTest::newRow("two words exactly, in mixed case, are equal")
        << QByteArray("X-Forwarded-PrOt") << QByteArray("x-forwarded-prot") << true;
    QTest::newRow("at sign and grave accent differ by 0x20 and are not letters")
        << QByteArray("x-api-key@abcdefg") << QByteArray("x-api-key`abcdefg") << false;
    QTest::newRow("caret and tilde differ by 0x20 and are not letters")
        << QByteArray("x-header^long-name") << QByteArray("x-header~long-name") << false;
    QTest::newRow("Latin-1 letters in a long name are not folded")
        << QByteArray("x-\xc0-long-name") << QByteArray("x-\xe0-long-name") << false;
}

void tst_Http1Head::foldsOnlyAsciiLettersForEveryBytePairAndPosition_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("position");
    QTest::newRow("a short name, its last byte") << 3 << 2;
    QTest::newRow("one word, its first byte") << 8 << 0;
    QTest::newRow("one word, its last byte") << 8 << 7;
    QTest::newRow("13 bytes, a byte only the first word holds") << 13 << 2;
    QTest::newRow("13 bytes, a byte both words hold") << 13 << 6;
    QTest::newRow("13 bytes, a byte only the overlapping last word holds") << 13 << 12;
    QTest::newRow("two words, the second word's first byte") << 16 << 8;
}

void tst_Http1Head::foldsOnlyAsciiLettersForEveryBytePairAndPosition()
{
    QFETCH(int, size);
    QFETCH(int, position);
    const auto lower = [](unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32 : int(c); };
    QByteArray a(size, 'k');
    QByteArray b(size, 'K');
    for (int x = 0; x < 256; ++x) {
        for (int y = 0; y < 256; ++y) {
            a[position] = char(x);
            b[position] = char(y);
            const bool expected = lower(x) == lower(y);
            if (httpEqualsIgnoreCase(a, b) != expected)
                QFAIL(qPrintable(QStringLiteral("bytes 0x%1 and 0x%2").arg(x, 2, 16, QChar(u'0')).arg(y, 2, 16, QChar(u'0'))));
        }
    }
}

void tst_Http1Head::comparesIgnoringAsciiCase()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, equal);
    QCOMPARE(httpEqualsIgnoreCase(a, b), equal);
    QCOMPARE(httpEqualsIgnoreCase(b, a), equal);
}

QTEST_GUILESS_MAIN(tst_Http1Head)
#include "tst_http1head.moc"
