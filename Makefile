# Makefile for the schemasync PostgreSQL extension (PGXS).
#
# The version lives in one place: default_version in schemasync.control.

EXTENSION = schemasync
EXTVERSION := $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)

MODULE_big = schemasync
OBJS = \
	src/schemasync.o \
	src/hugemem.o \
	src/parallel.o \
	src/options.o \
	src/model.o \
	src/catalog.o \
	src/exprnorm.o \
	src/kind_table.o \
	src/kind_constraint.o \
	src/kind_index.o \
	src/kind_sequence.o \
	src/kind_type.o \
	src/kind_function.o \
	src/kind_trigger.o \
	src/kind_view.o \
	src/kind_privilege.o \
	src/kind_partition.o \
	src/kind_policy.o \
	src/kind_collation.o \
	src/kind_extension.o \
	src/differ.o \
	src/planner.o \
	src/executor.o \
	src/json_model.o \
	src/normalize.o \
	src/select.o \
	src/rename.o

# The install script is sql/schemasync.sql, copied under its versioned name;
# upgrade scripts are checked in as sql/schemasync--A--B.sql.
DATA_built = $(EXTENSION)--$(EXTVERSION).sql
DATA = $(wildcard sql/$(EXTENSION)--*--*.sql)

# Every other file in sql/ is a pg_regress test, run in the order given here
# when listed, else alphabetically.
TESTS = $(filter-out sql/$(EXTENSION).sql sql/$(EXTENSION)--%.sql, $(wildcard sql/*.sql))
REGRESS = $(sort $(patsubst sql/%.sql,%,$(TESTS)))
REGRESS_OPTS = --inputdir=. --encoding=UTF8 --load-extension=schemasync

PG_CPPFLAGS = -I$(srcdir)/src
PG_CFLAGS = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare \
	-Wno-missing-field-initializers

EXTRA_CLEAN = $(EXTENSION)--$(EXTVERSION).sql

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# every object depends on the shared header
$(OBJS): src/schemasync.h

$(EXTENSION)--$(EXTVERSION).sql: sql/$(EXTENSION).sql $(EXTENSION).control
	cp $< $@

.PHONY: version
version:
	@echo $(EXTVERSION)
