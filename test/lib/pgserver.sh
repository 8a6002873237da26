# test/lib/pgserver.sh: shared shell functions of the schemasync scripts.
#
# Sourced by test/run-tests.sh, test/demo.sh, the conformance runner and the
# benchmark.  It installs what a fresh Debian 12 machine lacks, builds and
# installs the extension, and runs a throwaway PostgreSQL cluster in a
# temporary directory, on a free port with its own socket directory, owned
# by the "postgres" OS user, which is always stopped and removed on exit.
#
# The extension is installed into a private copy of the server's tree
# (SS_STAGE, inside the run's temporary directory; PostgreSQL finds its
# share and lib directories relative to its binaries), so concurrent runs
# from several checkouts never overwrite each other's library and the
# system's PostgreSQL is left untouched.  SS_INSTALL=system installs into
# the system tree instead, as "make install" does.
#
# Works as root (CI) and as a normal user with sudo.

SS_PG_MAJOR=${SS_PG_MAJOR:-15}
SS_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SS_PACKAGES="postgresql-$SS_PG_MAJOR postgresql-server-dev-$SS_PG_MAJOR postgresql-contrib build-essential make gcc python3 python3-jsonschema"

if [ "$(id -u)" -eq 0 ]; then
    SS_SUDO=""
else
    SS_SUDO="sudo"
fi

ss_log() {
    printf '==> %s\n' "$*" >&2
}

# ss_install_deps: install the Debian packages that are missing.
ss_install_deps() {
    local missing="" p
    for p in $SS_PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        ss_log "installing:$missing"
        # no "main" cluster of the Debian package: the tests run their own
        if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
            $SS_SUDO mkdir -p /etc/postgresql-common
            echo "create_main_cluster = false" | $SS_SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
        fi
        $SS_SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        # the Debian package would start a cluster of its own: not wanted
        $SS_SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            -o Dpkg::Options::=--force-confold $missing >/dev/null
    fi
    SS_BINDIR=$("/usr/lib/postgresql/$SS_PG_MAJOR/bin/pg_config" --bindir)
    export PATH="$SS_BINDIR:$PATH"
}

# ss_stage_tree: a private copy of the server's bin, lib and share
# directories under SS_TMP/stage; points SS_BINDIR at its binaries.
ss_stage_tree() {
    local libdir sharedir
    libdir=$(cd "$SS_BINDIR/.." && pwd)
    sharedir=$("$SS_BINDIR/pg_config" --sharedir)
    SS_STAGE="$SS_TMP/stage"
    mkdir -p "$SS_STAGE$(dirname "$libdir")" "$SS_STAGE$(dirname "$sharedir")"
    cp -a "$libdir" "$SS_STAGE$(dirname "$libdir")/"
    cp -a "$sharedir" "$SS_STAGE$(dirname "$sharedir")/"
    # leftovers of an earlier system-wide install must not shadow this build
    rm -f "$SS_STAGE$("$SS_BINDIR/pg_config" --pkglibdir)/schemasync.so" \
        "$SS_STAGE$sharedir"/extension/schemasync[.-]*
    SS_SYSTEM_BINDIR=$SS_BINDIR
    SS_BINDIR="$SS_STAGE$SS_BINDIR"
    export PATH="$SS_BINDIR:$PATH"
}

# ss_build_install: build with -Werror and install the extension, into the
# staged tree (the default) or the system's (SS_INSTALL=system).
ss_build_install() {
    local log pgc
    pgc="${SS_SYSTEM_BINDIR:-$SS_BINDIR}/pg_config"
    log=$(mktemp)
    ss_log "building schemasync"
    if ! make -C "$SS_REPO" PG_CONFIG="$pgc" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        return 1
    fi
    if grep -q "warning:" "$log"; then
        grep "warning:" "$log" >&2
        rm -f "$log"
        ss_log "the build has warnings"
        return 1
    fi
    rm -f "$log"
    if [ "${SS_INSTALL:-stage}" = system ]; then
        $SS_SUDO make -C "$SS_REPO" PG_CONFIG="$pgc" install >/dev/null
    else
        make -C "$SS_REPO" PG_CONFIG="$pgc" DESTDIR="$SS_STAGE" install >/dev/null
    fi
}

# ss_as_postgres CMD...: run a command as the postgres OS user.
ss_as_postgres() {
    if [ "$(id -un)" = postgres ]; then
        "$@"
    elif [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        sudo -u postgres -- "$@"
    fi
}

# ss_free_port: a TCP port of 127.0.0.1 that nothing listens on.
ss_free_port() {
    local p i
    for i in $(seq 1 200); do
        p=$(( 20000 + (RANDOM * 7 + $$ + i) % 40000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# ss_make_tmp: the run's temporary directory SS_TMP, removed on exit; made
# once per run (ss_tmp_made, not exported: an SS_TMP in the environment,
# another run's, is never reused).
# ss_server_start: initdb and start a throwaway cluster; exports PGHOST,
# PGPORT, PGUSER and SS_TMP, and arranges for ss_server_stop on exit.
# SS_PG_OPTS, when set, is added to the server's command line (the
# benchmark's --huge-pages passes "-c huge_pages=on").
ss_make_tmp() {
    [ -n "${ss_tmp_made:-}" ] && [ "$ss_tmp_made" = "${SS_TMP:-}" ] && [ -d "$SS_TMP" ] && return 0
    SS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/schemasync.XXXXXX")
    ss_tmp_made=$SS_TMP
    chmod 755 "$SS_TMP"
    trap ss_server_stop EXIT
    trap 'exit 130' INT TERM
}

ss_server_start() {
    ss_make_tmp
    $SS_SUDO chown postgres "$SS_TMP"
    SS_PORT=$(ss_free_port)
    ss_log "starting a throwaway PostgreSQL $SS_PG_MAJOR in $SS_TMP on port $SS_PORT"
    ss_as_postgres "$SS_BINDIR/initdb" -D "$SS_TMP/data" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$SS_TMP/initdb.log" 2>&1 || {
        cat "$SS_TMP/initdb.log" >&2
        return 1
    }
    ss_as_postgres "$SS_BINDIR/pg_ctl" -D "$SS_TMP/data" -l "$SS_TMP/server.log" -w \
        -o "-k $SS_TMP -p $SS_PORT -c listen_addresses=127.0.0.1 -c fsync=off -c max_locks_per_transaction=1024${SS_PG_OPTS:+ $SS_PG_OPTS}" \
        start >/dev/null || {
        cat "$SS_TMP/server.log" >&2
        return 1
    }
    export PGHOST="$SS_TMP" PGPORT="$SS_PORT" PGUSER=postgres PGDATABASE=postgres
}

# ss_server_stop: stop the cluster and remove its directory; then run the
# caller's ss_after_stop, when it defines one (the benchmark gives back the
# huge pages it reserved).
ss_server_stop() {
    if [ -n "${SS_TMP:-}" ] && [ -d "$SS_TMP" ]; then
        [ -d "$SS_TMP/data" ] &&
            ss_as_postgres "$SS_BINDIR/pg_ctl" -D "$SS_TMP/data" -m immediate stop >/dev/null 2>&1 || true
        $SS_SUDO rm -rf "$SS_TMP"
        SS_TMP=""
    fi
    if declare -F ss_after_stop >/dev/null; then
        ss_after_stop || true
    fi
}

# ss_setup: everything up to a running server with the extension installed.
ss_setup() {
    ss_install_deps
    ss_make_tmp
    [ "${SS_INSTALL:-stage}" = system ] || ss_stage_tree
    ss_build_install
    ss_server_start
}
