// gRPC specifics as tables: the status for each gateway error, the status for upstream HTTP
// answers, grpc-timeout values, grpc-message encoding and trailers-only fields.
#include "proxy/grpcprotocol.h"

#include <QTest>

using namespace Gatehouse;
using namespace std::chrono_literals;

class tst_GrpcProtocol : public QObject
{
    Q_OBJECT
private slots:
    void statusForGatewayError_data();
    void statusForGatewayError();
    void statusForUpstreamHttpStatus_data();
    void statusForUpstreamHttpStatus();
    void grpcContentTypes_data();
    void grpcContentTypes();
    void timeouts_data();
    void timeouts();
    void messageEncoding_data();
    void messageEncoding();
    void trailersOnlyFields();
};

void tst_GrpcProtocol::statusForGatewayError_data()
{
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<GatewayErrorCode>("code");
    QTest::addColumn<int>("grpcStatus");
    const struct
    {
        const char *row;
        int httpStatus;
        GatewayErrorCode code;
        GrpcStatus expected;
    } rows[] = {
        {"missing token is UNAUTHENTICATED", 401, GatewayErrorCode::MissingCredentials, GrpcStatus::Unauthenticated},
        {"invalid token is UNAUTHENTICATED", 401, GatewayErrorCode::InvalidCredentials, GrpcStatus::Unauthenticated},
        {"missing scope is PERMISSION_DENIED", 403, GatewayErrorCode::ScopeForbidden, GrpcStatus::PermissionDenied},
        {"API not allowed is PERMISSION_DENIED", 403, GatewayErrorCode::ApiForbidden, GrpcStatus::PermissionDenied},
        {"API tier exhausted is RESOURCE_EXHAUSTED", 429, GatewayErrorCode::ApiThrottled, GrpcStatus::ResourceExhausted},
        {"method tier exhausted is RESOURCE_EXHAUSTED", 429, GatewayErrorCode::ResourceThrottled, GrpcStatus::ResourceExhausted},
        {"client limit is RESOURCE_EXHAUSTED", 429, GatewayErrorCode::ClientThrottled, GrpcStatus::ResourceExhausted},
        {"message too large is RESOURCE_EXHAUSTED", 413, GatewayErrorCode::RequestTooLarge, GrpcStatus::ResourceExhausted},
        {"unknown method is UNIMPLEMENTED", 404, GatewayErrorCode::NoMatchingResource, GrpcStatus::Unimplemented},
        {"GET on a method is UNIMPLEMENTED", 405, GatewayErrorCode::MethodNotAllowed, GrpcStatus::Unimplemented},
        {"upstream refused is UNAVAILABLE", 502, GatewayErrorCode::UpstreamError, GrpcStatus::Unavailable},
        {"circuit open is UNAVAILABLE", 503, GatewayErrorCode::UpstreamUnavailable, GrpcStatus::Unavailable},
        {"introspection down is UNAVAILABLE", 503, GatewayErrorCode::AuthServiceUnavailable, GrpcStatus::Unavailable},
        {"rate-limit store down is UNAVAILABLE", 503, GatewayErrorCode::RateLimitStoreUnavailable, GrpcStatus::Unavailable},
        {"upstream timeout is DEADLINE_EXCEEDED", 504, GatewayErrorCode::UpstreamTimeout, GrpcStatus::DeadlineExceeded},
        {"policy timeout is DEADLINE_EXCEEDED", 504, GatewayErrorCode::PolicyTimeout, GrpcStatus::DeadlineExceeded},
        {"request body stalled is DEADLINE_EXCEEDED", 408, GatewayErrorCode::RequestTimeout, GrpcStatus::DeadlineExceeded},
        {"malformed request is INTERNAL", 400, GatewayErrorCode::BadRequest, GrpcStatus::Internal},
        {"a policy's own 403 is PERMISSION_DENIED", 403, GatewayErrorCode::BadRequest, GrpcStatus::PermissionDenied},
        {"a policy's own 429 is RESOURCE_EXHAUSTED", 429, GatewayErrorCode::BadRequest, GrpcStatus::ResourceExhausted},
        {"a policy's own 500 is UNKNOWN", 500, GatewayErrorCode::BadRequest, GrpcStatus::Unknown},
    };
    for (const auto &r : rows)
        QTest::newRow(r.row) << r.httpStatus << r.code << int(r.expected);
}

void tst_GrpcProtocol::statusForGatewayError()
{
    QFETCH(int, httpStatus);
    QFETCH(GatewayErrorCode, code);
    QFETCH(int, grpcStatus);
    GatewayError error;
    error.status = httpStatus;
    error.code = code;
    QCOMPARE(int(grpcStatusForError(error)), grpcStatus);
}

void tst_GrpcProtocol::statusForUpstreamHttpStatus_data()
{
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<int>("grpcStatus");
    QTest::newRow("400 is INTERNAL") << 400 << int(GrpcStatus::Internal);
    QTest::newRow("401 is UNAUTHENTICATED") << 401 << int(GrpcStatus::Unauthenticated);
    QTest::newRow("403 is PERMISSION_DENIED") << 403 << int(GrpcStatus::PermissionDenied);
    QTest::newRow("404 is UNIMPLEMENTED") << 404 << int(GrpcStatus::Unimplemented);
    QTest::newRow("429 is UNAVAILABLE") << 429 << int(GrpcStatus::Unavailable);
    QTest::newRow("502 is UNAVAILABLE") << 502 << int(GrpcStatus::Unavailable);
    QTest::newRow("503 is UNAVAILABLE") << 503 << int(GrpcStatus::Unavailable);
    QTest::newRow("504 is UNAVAILABLE") << 504 << int(GrpcStatus::Unavailable);
    QTest::newRow("500 is UNKNOWN") << 500 << int(GrpcStatus::Unknown);
    QTest::newRow("302 is UNKNOWN") << 302 << int(GrpcStatus::Unknown);
}

void tst_GrpcProtocol::statusForUpstreamHttpStatus()
{
    QFETCH(int, httpStatus);
    QFETCH(int, grpcStatus);
    QCOMPARE(int(grpcStatusForHttpStatus(httpStatus)), grpcStatus);
}

void tst_GrpcProtocol::grpcContentTypes_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("grpc");
    QTest::newRow("plain application/grpc is gRPC") << QByteArray("application/grpc") << true;
    QTest::newRow("with a codec suffix is gRPC") << QByteArray("application/grpc+proto") << true;
    QTest::newRow("with parameters is gRPC") << QByteArray("application/grpc;charset=utf-8") << true;
    QTest::newRow("in upper case is gRPC") << QByteArray("Application/GRPC") << true;
    QTest::newRow("gRPC-Web is not gRPC") << QByteArray("application/grpc-web") << false;
    QTest::newRow("JSON is not gRPC") << QByteArray("application/json") << false;
    QTest::newRow("a prefix of it is not gRPC") << QByteArray("application/grp") << false;
    QTest::newRow("empty is not gRPC") << QByteArray() << false;
}

void tst_GrpcProtocol::grpcContentTypes()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, grpc);
    QCOMPARE(isGrpcContentType(value), grpc);
}

void tst_GrpcProtocol::timeouts_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("nanoseconds");
    QTest::newRow("100 milliseconds") << QByteArray("100m") << true << qint64(100'000'000);
    QTest::newRow("1 second") << QByteArray("1S") << true << qint64(1'000'000'000);
    QTest::newRow("2 minutes") << QByteArray("2M") << true << qint64(120'000'000'000);
    QTest::newRow("1 hour") << QByteArray("1H") << true << qint64(3'600'000'000'000);
    QTest::newRow("250 microseconds") << QByteArray("250u") << true << qint64(250'000);
    QTest::newRow("99999999 nanoseconds") << QByteArray("99999999n") << true << qint64(99'999'999);
    QTest::newRow("zero is an immediate deadline") << QByteArray("0m") << true << qint64(0);
    QTest::newRow("the largest hours are capped, not overflowed")
        << QByteArray("99999999H") << true << qint64(2'000'000) * 3'600'000'000'000;
    QTest::newRow("nine digits are too many") << QByteArray("123456789m") << false << qint64(0);
    QTest::newRow("a unit alone is malformed") << QByteArray("S") << false << qint64(0);
    QTest::newRow("an unknown unit is malformed") << QByteArray("10s") << false << qint64(0);
    QTest::newRow("a sign is malformed") << QByteArray("-1S") << false << qint64(0);
    QTest::newRow("a space is malformed") << QByteArray("1 S") << false << qint64(0);
    QTest::newRow("empty is malformed") << QByteArray() << false << qint64(0);
}

void tst_GrpcProtocol::timeouts()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, valid);
    QFETCH(qint64, nanoseconds);
    const auto parsed = parseGrpcTimeout(value);
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(qint64(parsed->count()), nanoseconds);
}

void tst_GrpcProtocol::messageEncoding_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QByteArray>("encoded");
    QTest::newRow("printable ASCII stays") << QStringLiteral("Missing credentials") << QByteArray("Missing credentials");
    QTest::newRow("percent is escaped") << QStringLiteral("100%") << QByteArray("100%25");
    QTest::newRow("newline is escaped") << QStringLiteral("a\nb") << QByteArray("a%0Ab");
    QTest::newRow("non-ASCII is escaped as UTF-8") << QStringLiteral("caf\u00e9") << QByteArray("caf%C3%A9");
    QTest::newRow("empty stays empty") << QString() << QByteArray();
}

void tst_GrpcProtocol::messageEncoding()
{
    QFETCH(QString, message);
    QFETCH(QByteArray, encoded);
    QCOMPARE(encodeGrpcMessage(message), encoded);
}

void tst_GrpcProtocol::trailersOnlyFields()
{
    const GrpcTrailersOnly t(GrpcStatus::Unauthenticated, u"Missing credentials: 100%");
    const auto fields = t.fields();
    QCOMPARE(fields.size(), size_t(3));
    QCOMPARE(fields[0].name, QByteArrayView("content-type"));
    QCOMPARE(fields[0].value, QByteArrayView("application/grpc"));
    QCOMPARE(fields[1].name, QByteArrayView("grpc-status"));
    QCOMPARE(fields[1].value, QByteArrayView("16"));
    QCOMPARE(fields[2].name, QByteArrayView("grpc-message"));
    QCOMPARE(fields[2].value, QByteArrayView("Missing credentials: 100%25"));
    const GrpcTrailersOnly quiet(GrpcStatus::Unavailable, {});
    QCOMPARE(quiet.fields().size(), size_t(2));
    QCOMPARE(quiet.statusText(), QByteArrayView("14"));
}

QTEST_GUILESS_MAIN(tst_GrpcProtocol)
#include "tst_grpcprotocol.moc"
