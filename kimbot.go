// Package kimbot carries what belongs to the whole program: the manifest
// that `kimbot provision` applies.
package kimbot

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

//go:embed manifest.json
var manifestJSON []byte

// Manifest declares the bot account and the slash command.
type Manifest struct {
	Version string `json:"version"`
	Bot     struct {
		Username    string `json:"username"`
		DisplayName string `json:"display_name"`
		Description string `json:"description"`
	} `json:"bot"`
	Command struct {
		Trigger          string `json:"trigger"`
		DisplayName      string `json:"display_name"`
		Description      string `json:"description"`
		AutoComplete     bool   `json:"auto_complete"`
		AutoCompleteHint string `json:"auto_complete_hint"`
		AutoCompleteDesc string `json:"auto_complete_desc"`
	} `json:"command"`
}

// LoadManifest returns the manifest built into the binary.
func LoadManifest() (Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(manifestJSON, &m); err != nil {
		return m, fmt.Errorf("kimbot: manifest.json: %w", err)
	}
	if m.Bot.Username == "" || m.Command.Trigger == "" || m.Version == "" {
		return m, fmt.Errorf("kimbot: manifest.json needs version, bot.username and command.trigger")
	}
	return m, nil
}
