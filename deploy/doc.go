// Package deploy holds what runs kimbot in production, and its tests:
//
//	scripts/image        the container image (deploy/tools/image: go-containerregistry, no Docker daemon)
//	deploy/compose/      a Compose file beside an existing Mattermost, with example env files
//	deploy/helm/kimbot/  a Helm chart
//	deploy/tools/        a Go module of its own for the image builder and helm, so that neither
//	                     enters kimbot's go.mod
//
// The tests build the image with scripts/image and run its entrypoint from the image's own file
// system, render the chart with helm and check what it makes, and check the Compose file's
// structure. README.md ("Deployment") says how to use all of it.
package deploy
