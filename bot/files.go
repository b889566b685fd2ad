package bot

import (
	"context"

	"github.com/mattermost/mattermost/server/public/model"
)

// SendFile uploads a file into the bot's direct channel with the user and
// posts it there with message; it returns the post's id. It implements
// commands.Files.
func (c *Client) SendFile(ctx context.Context, userID, name string, data []byte, message string) (string, error) {
	dm, resp, err := c.api.CreateDirectChannel(ctx, c.BotID, userID)
	if err != nil {
		return "", apiErr("direct channel", resp, err)
	}
	up, resp, err := c.api.UploadFile(ctx, data, dm.Id, name)
	if err != nil {
		return "", apiErr("upload file", resp, err)
	}
	ids := make([]string, 0, len(up.FileInfos))
	for _, fi := range up.FileInfos {
		ids = append(ids, fi.Id)
	}
	p, resp, err := c.api.CreatePost(ctx, &model.Post{ChannelId: dm.Id, Message: message, FileIds: ids})
	if err != nil {
		return "", apiErr("post file", resp, err)
	}
	return p.Id, nil
}
