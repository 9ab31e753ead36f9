// The gRPC benchmark's upstream: a grpc++ server that echoes every message of any method (unary
// and streaming alike) with no code generation, through the callback generic API. Listens on
// 127.0.0.1 (h2c), prints "PORT <n>" and serves until killed.
//
// Usage: bench_grpc_echo_server
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <memory>

namespace {

class EchoReactor final : public grpc::ServerGenericBidiReactor
{
public:
    EchoReactor() { StartRead(&m_message); }

    void OnReadDone(bool ok) override
    {
        if (!ok) {
            Finish(grpc::Status::OK);   // the client half-closed: trailers with grpc-status 0
            return;
        }
        StartWrite(&m_message);
    }
    void OnWriteDone(bool ok) override
    {
        if (!ok) {
            Finish(grpc::Status(grpc::StatusCode::UNKNOWN, "write failed"));
            return;
        }
        StartRead(&m_message);
    }
    void OnDone() override { delete this; }

private:
    grpc::ByteBuffer m_message;
};

class EchoService final : public grpc::CallbackGenericService
{
public:
    grpc::ServerGenericBidiReactor *CreateReactor(grpc::GenericCallbackServerContext *) override
    {
        return new EchoReactor;
    }
};

} // namespace

int main()
{
    EchoService service;
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterCallbackGenericService(&service);
    const std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
    if (!server || port == 0) {
        std::fprintf(stderr, "bench_grpc_echo_server: cannot listen\n");
        return 1;
    }
    std::printf("PORT %d\n", port);
    std::fflush(stdout);
    server->Wait();
    return 0;
}
