# One helper per kind of target (as Qt Creator's add_qtc_* functions): warnings, tests, fuzzers.

function(gatehouse_set_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
        -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        target_compile_options(${target} PRIVATE -Wshadow=local)
    endif()
    if(GATEHOUSE_WARNINGS_AS_ERRORS)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()

# The Qt headers the workbench's files include most (app/, editors/ and their tests): the precompiled
# headers of gatehouse-editors, gatehouse-app and gatehouse-ui-test-pch hold them, so that the Widgets
# headers are parsed once per target instead of once per file (docs/security.md, "What CI costs").
set(GATEHOUSE_WIDGETS_PCH_HEADERS
    <QAction> <QApplication> <QCheckBox> <QComboBox> <QCoreApplication> <QDateTime> <QDir> <QFileInfo>
    <QFormLayout> <QHBoxLayout> <QHeaderView> <QJsonArray> <QJsonDocument> <QJsonObject> <QLabel>
    <QLineEdit> <QList> <QListWidget> <QMenu> <QObject> <QPlainTextEdit> <QPointer> <QPushButton>
    <QRegularExpression> <QSettings> <QSplitter> <QString> <QStringList> <QTabWidget> <QTimer>
    <QToolButton> <QVBoxLayout> <QWidget>
    <algorithm> <functional> <memory> <optional> <vector>)

# gatehouse_use_test_pch(target LIBS...): a target that links the core (directly or through the editors,
# the app or the integration support library) reuses the precompiled header of gatehouse-test-pch, or
# of gatehouse-ui-test-pch when it links the workbench app (tests/CMakeLists.txt), instead of parsing the
# same Qt headers again; others are left alone.
function(gatehouse_use_test_pch target)
    if(NOT TARGET gatehouse-test-pch)
        return()
    endif()
    foreach(lib IN LISTS ARGN)
        if(lib MATCHES "^gatehouse-(core|editors|app|integration-support)$")
            set(donor gatehouse-test-pch)
            # (Not for the editors' tests: the app brings definitions they lack, QT_PRINTSUPPORT_LIB
            # by QCustomPlot, and GCC refuses a precompiled header made with other definitions.)
            if(lib STREQUAL "gatehouse-app" AND TARGET gatehouse-ui-test-pch)
                set(donor gatehouse-ui-test-pch)
            endif()
            target_precompile_headers(${target} REUSE_FROM ${donor})
            # A test's moc output is mostly included by its .cpp, leaving AUTOMOC's mocs_compilation.cpp
            # empty: loading the header would cost it 0.5 CPU-s (GCC) for nothing.
            set_source_files_properties(${CMAKE_CURRENT_BINARY_DIR}/${target}_autogen/mocs_compilation.cpp
                PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
            return()
        endif()
    endforeach()
endfunction()

# gatehouse_add_test(NAME tst_foo SOURCES tst_foo.cpp [LIBS ...] [LABELS unit|integration|ui|slow]
#                    [TIMEOUT seconds] [COST seconds] [PROCESSORS n] [ENVIRONMENT VAR=value ...])
# Qt Test executable, registered with CTest, run from the build dir with the corpus path in the env.
# COST: about how long the test runs, so that `ctest -j` starts the long ones first even without the
# timings of an earlier run (a clean clone has none). PROCESSORS: slots of `ctest -j` the test takes
# (2 for a test that keeps a core busy: scripts/test.sh runs twice as many tests as there are cores,
# since most of them wait on sockets and timers).
function(gatehouse_add_test)
    cmake_parse_arguments(T "" "NAME;TIMEOUT;COST;PROCESSORS" "SOURCES;LIBS;LABELS;ENVIRONMENT" ${ARGN})
    if(NOT T_LABELS)
        set(T_LABELS unit)
    endif()
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 120)
    endif()
    add_executable(${T_NAME} ${T_SOURCES})
    target_link_libraries(${T_NAME} PRIVATE Qt6::Test ${T_LIBS})
    gatehouse_set_warnings(${T_NAME})
    gatehouse_use_test_pch(${T_NAME} ${T_LIBS})
    add_test(NAME ${T_NAME} COMMAND ${T_NAME})
    set_tests_properties(${T_NAME} PROPERTIES
        LABELS "${T_LABELS}"
        TIMEOUT ${T_TIMEOUT}
        ENVIRONMENT "GATEHOUSE_CORPUS=${GATEHOUSE_CORPUS_DIR};GATEHOUSE_SOURCE_DIR=${PROJECT_SOURCE_DIR};QT_QPA_PLATFORM=offscreen;${T_ENVIRONMENT}")
    if(T_COST)
        set_tests_properties(${T_NAME} PROPERTIES COST ${T_COST})
    endif()
    if(T_PROCESSORS)
        set_tests_properties(${T_NAME} PROPERTIES PROCESSORS ${T_PROCESSORS})
    endif()
endfunction()

# gatehouse_add_fuzzer(NAME fuzz_foo SOURCES fuzz_foo.cpp [LIBS ...] [CORPUS dir ...] [DICT file])
# libFuzzer target (clang -fsanitize=fuzzer); `ctest -L fuzz` replays the seed corpus as a regression.
function(gatehouse_add_fuzzer)
    cmake_parse_arguments(F "" "NAME;DICT" "SOURCES;LIBS;CORPUS" ${ARGN})
    add_executable(${F_NAME} ${F_SOURCES})
    target_link_libraries(${F_NAME} PRIVATE ${F_LIBS})
    target_compile_options(${F_NAME} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options(${F_NAME} PRIVATE -fsanitize=fuzzer,address,undefined)
    set(args -timeout=10 -rss_limit_mb=4096)
    if(F_DICT)
        list(APPEND args -dict=${F_DICT})
    endif()
    set(workdir ${CMAKE_CURRENT_BINARY_DIR}/${F_NAME}.corpus)
    file(MAKE_DIRECTORY ${workdir})
    # The run time is read when the test runs (it used to be frozen at configure time, so setting
    # GATEHOUSE_FUZZ_SECONDS for ctest alone changed nothing): 15 s unless the environment says otherwise.
    add_test(NAME ${F_NAME} COMMAND sh -c "exec \"$0\" -max_total_time=\${GATEHOUSE_FUZZ_SECONDS:-15} \"$@\""
        $<TARGET_FILE:${F_NAME}> ${args} ${workdir} ${F_CORPUS})
    set_tests_properties(${F_NAME} PROPERTIES LABELS "fuzz" TIMEOUT 300)
endfunction()
