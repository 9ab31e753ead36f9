// libFuzzer target for the .proto loader: arbitrary bytes as one or more project .proto files.
#include "project/protoloader.h"

#include <cstddef>
#include <cstdint>

using namespace Gatehouse;

// An input may hold several files separated by a line "//@file", named f0.proto, f1.proto, ...,
// so the fuzzer also reaches imports between project files (the seeds show the form).
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QByteArray separator("\n//@file\n");
    constexpr int kMaxFiles = 4;
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));

    QList<ProtoSourceFile> files;
    qsizetype start = 0;
    while (files.size() < kMaxFiles) {
        const qsizetype end = files.size() + 1 < kMaxFiles ? input.indexOf(separator, start) : -1;
        const QString name = QStringLiteral("f%1.proto").arg(files.size());
        files.append({name, input.mid(start, end < 0 ? -1 : end - start)});
        if (end < 0)
            break;
        start = end + separator.size();
    }

    Diagnostics diagnostics;
    const ProtoSet set = loadProtoSources(files, QStringLiteral("protos/"), diagnostics);
    // Touch what callers read, so sanitizers see every string built.
    (void)diagnostics.toString();
    for (const GrpcService &service : set.services) {
        for (const GrpcMethod &method : service.methods)
            (void)method.path(service.fullName);
    }
    return 0;
}
