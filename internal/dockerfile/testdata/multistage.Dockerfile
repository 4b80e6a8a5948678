# syntax=docker/dockerfile:1
ARG GO_VERSION=1.22
ARG BASE=gcr.io/distroless/static-debian12

FROM golang:${GO_VERSION}-alpine AS build
ARG TARGETOS=linux
ENV CGO_ENABLED=0 \
    GOFLAGS=-mod=readonly
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN --mount=type=cache,target=/root/.cache/go-build \
    GOOS=$TARGETOS go build -trimpath -ldflags="-s -w" -o /out/server ./cmd/server && \
    export GOAMD64=v3 && go install ./cmd/tool

FROM ${BASE}
ENV GOMEMLIMIT=100MiB
COPY --from=build /out/server /usr/local/bin/
USER nonroot
ENTRYPOINT ["/usr/local/bin/server"]
HEALTHCHECK CMD ["/usr/local/bin/server", "-health"]
